from django.urls import path

from . import views

app_name = "sla"

urlpatterns = [
    path("support-hours/", views.support_hours, name="support_hours"),
]
