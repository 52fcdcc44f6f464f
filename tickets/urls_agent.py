"""The agent side of the tickets app: the queue and the ticket workspace (names in the "tickets"
namespace). Listed before the portal's `<reference>/` routes, so "queue" is never a reference."""

from django.urls import path

from .views import absences, desk, queue, watching, workspace

urlpatterns = [
    path("queue/", queue.queue, name="queue"),
    path("absences/", absences.absence_list, name="absences"),
    path("absences/<int:pk>/delete/", absences.absence_delete, name="absence_delete"),
    path("absences/<int:pk>/reassign/", absences.absence_reassign, name="absence_reassign"),
    path("absences/teams/<int:pk>/auto-assign/", absences.team_auto_assign, name="team_auto_assign"),
    path("queue/bulk/", queue.queue_bulk, name="queue_bulk"),
    path("queue/views/", queue.view_save, name="view_save"),
    path("queue/views/<int:pk>/delete/", queue.view_delete, name="view_delete"),
    path("queue/phone/", queue.phone_ticket, name="phone"),
    path("queue/preview/", queue.markdown_preview, name="markdown_preview"),
    path("queue/tags/", desk.tag_suggestions, name="tag_suggestions"),
    path("<str:reference>/work/", workspace.workspace, name="workspace"),
    path("<str:reference>/work/claim/", workspace.claim, name="claim"),
    path("<str:reference>/work/assign/", workspace.assign, name="assign"),
    path("<str:reference>/work/reply/", workspace.reply, name="work_reply"),
    path("<str:reference>/work/status/", workspace.change_status, name="work_status"),
    path("<str:reference>/work/workaround/", workspace.provide_workaround, name="work_workaround"),
    path("<str:reference>/work/release/", workspace.set_fix_release, name="work_release"),
    path("<str:reference>/work/severity/", workspace.change_severity, name="work_severity"),
    path("<str:reference>/work/team/", workspace.move_to_team, name="work_team"),
    path("<str:reference>/work/effort/", workspace.log_effort, name="work_effort"),
    path("<str:reference>/work/effort/<int:pk>/change/", workspace.change_effort, name="work_effort_change"),
    path("<str:reference>/work/effort/<int:pk>/delete/", workspace.delete_effort, name="work_effort_delete"),
    path("<str:reference>/work/presence/", workspace.presence, name="work_presence"),
    path("<str:reference>/work/merge/", desk.merge, name="work_merge"),
    path("<str:reference>/work/split/", desk.split, name="work_split"),
    path("<str:reference>/work/tags/", desk.set_tags, name="work_tags"),
    path("<str:reference>/work/macro/", desk.macro, name="work_macro"),
    path("<str:reference>/work/follow/", watching.follow, name="work_follow"),
]
