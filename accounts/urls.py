from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("organisation/", views.organisation, name="organisation"),
    path("teams/", views.teams, name="teams"),
    path("language/", views.language_switch, name="language"),
]
