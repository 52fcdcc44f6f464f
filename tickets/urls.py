from django.urls import path

from .urls_agent import urlpatterns as agent_urlpatterns
from .views import actions, attachments, portal, satisfaction, watching

app_name = "tickets"

urlpatterns = [
    *agent_urlpatterns,
    path("", portal.ticket_list, name="list"),
    path("new/", portal.ticket_create, name="create"),
    path("new/preview/", portal.ticket_preview, name="preview"),
    path("satisfaction/<str:token>/", satisfaction.survey_link_answer, name="satisfaction-link"),
    path("<str:reference>/", portal.ticket_detail, name="detail"),
    path("<str:reference>/reply/", actions.ticket_reply, name="reply"),
    path("<str:reference>/confirm/", actions.ticket_confirm, name="confirm"),
    path("<str:reference>/close/", actions.ticket_close, name="close"),
    path("<str:reference>/reopen/", actions.ticket_reopen, name="reopen"),
    path("<str:reference>/watchers/add/", watching.watcher_add, name="watcher_add"),
    path("<str:reference>/watchers/remove/", watching.watcher_remove, name="watcher_remove"),
    path("<str:reference>/satisfaction/", satisfaction.survey_answer_portal, name="satisfaction"),
    path("<str:reference>/attachments/<uuid:public_id>/", attachments.attachment_download, name="attachment"),
]
