from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("bell/", views.notification_bell, name="bell"),
    path("menu/", views.notification_menu, name="menu"),
    path("read/", views.notification_mark_all_read, name="mark_all_read"),
    path("<int:pk>/read/", views.notification_mark_read, name="mark_read"),
]
