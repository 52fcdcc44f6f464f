"""Release notes under /releases/ (namespace "products")."""

from django.urls import path

from . import views
from .feeds import ProductReleasesFeed

app_name = "products"

urlpatterns = [
    path("", views.release_index, name="index"),
    path("<slug:slug>/", views.product_releases, name="product"),
    path("<slug:slug>/feed/", ProductReleasesFeed(), name="feed"),
    path("<slug:slug>/<int:pk>/publish/", views.release_publish, name="publish"),
]
