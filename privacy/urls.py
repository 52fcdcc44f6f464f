from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.privacy_index, name="index"),
    path("people/<int:pk>/", views.privacy_person, name="person"),
    path("people/<int:pk>/export/", views.privacy_export, name="export"),
    path("people/<int:pk>/erase/", views.privacy_erase, name="erase"),
]
