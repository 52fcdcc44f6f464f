"""/api/v1/: the REST API, its schema and its offline docs."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from .errors import not_found
from .views import (
    absences,
    accounts,
    conversation,
    devices,
    knowledge,
    macros,
    merging,
    satisfaction,
    sla,
    tags,
    tickets,
    watchers,
)

app_name = "api"

router = SimpleRouter()
router.register("tickets", tickets.TicketViewSet, basename="ticket")
router.register("calendars", sla.CalendarViewSet, basename="calendar")
router.register("policies", sla.PolicyViewSet, basename="policy")
router.register("articles", knowledge.ArticleViewSet, basename="article")
router.register("releases", knowledge.ReleaseViewSet, basename="release")
router.register("absences", absences.AbsenceViewSet, basename="absence")

TICKET = "tickets/<str:reference>/"

urlpatterns = [
    *router.urls,
    path(f"{TICKET}comments/", conversation.CommentListView.as_view(), name="comment-list"),
    path(f"{TICKET}attachments/", conversation.AttachmentListView.as_view(), name="attachment-list"),
    path(f"{TICKET}attachments/<uuid:public_id>/", conversation.AttachmentDetailView.as_view(),
         name="attachment-detail"),
    path(f"{TICKET}attachments/<uuid:public_id>/download/", conversation.AttachmentDownloadView.as_view(),
         name="attachment-download"),
    path(f"{TICKET}merge/", merging.MergeView.as_view(), name="ticket-merge"),
    path(f"{TICKET}comments/<int:comment_id>/split/", merging.SplitView.as_view(), name="comment-split"),
    path(f"{TICKET}tags/", tags.TicketTagsView.as_view(), name="ticket-tags"),
    path("tags/", tags.TagSuggestionsView.as_view(), name="tag-suggestions"),
    path(f"{TICKET}watchers/", watchers.WatcherListView.as_view(), name="watcher-list"),
    path(f"{TICKET}watchers/<int:user_id>/", watchers.WatcherDetailView.as_view(), name="watcher-detail"),
    path(f"{TICKET}macros/", macros.MacroListView.as_view(), name="macro-list"),
    path(f"{TICKET}macros/<int:macro_id>/preview/", macros.MacroPreviewView.as_view(), name="macro-preview"),
    path(f"{TICKET}macros/<int:macro_id>/apply/", macros.MacroApplyView.as_view(), name="macro-apply"),
    path("teams/<str:slug>/auto-assignment/", absences.AutoAssignmentView.as_view(), name="team-auto-assignment"),
    path(f"{TICKET}satisfaction/", satisfaction.SatisfactionView.as_view(), name="satisfaction"),
    path("organisation/", accounts.OrganisationView.as_view(), name="organisation"),
    path("sla/preview", sla.SlaPreviewView.as_view(), name="sla-preview"),
    path("device-reports/", devices.DeviceReportView.as_view(), name="device-report"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^[\s\S]*$", not_found, name="not-found"),  # [\s\S]: a path with a line break too
]
