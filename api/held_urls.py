"""Unverified e-mail held for review (docs/mail-trust.md): the agents' list, accept, discard."""

from django.urls import path

from . import held_views

app_name = "held_mail"

urlpatterns = [
    path("", held_views.held_list, name="list"),
    path("<int:pk>/accept/", held_views.held_accept, name="accept"),
    path("<int:pk>/discard/", held_views.held_discard, name="discard"),
]
