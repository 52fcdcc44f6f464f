"""The notification settings page, in the account area (`/account/notifications/`)."""

from django.urls import path

from . import views

app_name = "notification_settings"

urlpatterns = [
    path("", views.notification_settings, name="edit"),
]
