from django.urls import path

from . import views

app_name = "chat"

urlpatterns = [
    path("", views.portal, name="portal"),
    path("start/", views.start, name="start"),
    path("public/", views.public, name="public"),
    path("console/", views.console, name="console"),
    path("console/queue/", views.queue, name="queue"),
    path("console/availability/", views.availability, name="availability"),
    path("<uuid:public_id>/", views.room, name="room"),
    path("<uuid:public_id>/messages/", views.messages_after, name="messages"),
    path("<uuid:public_id>/send/", views.send, name="send"),
    path("<uuid:public_id>/read/", views.read, name="read"),
    path("<uuid:public_id>/close/", views.close, name="close"),
    path("<uuid:public_id>/transcript/", views.transcript, name="transcript"),
    path("<uuid:public_id>/accept/", views.accept, name="accept"),
    path("<uuid:public_id>/transfer/", views.transfer, name="transfer"),
    path("<uuid:public_id>/ticket/", views.to_ticket, name="ticket"),
    path("<uuid:public_id>/append/", views.append, name="append"),
]
