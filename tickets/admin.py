"""Admin: team routes are configuration and editable; tickets and their history are read-only
here, because every change to a ticket must go through `tickets.services`."""

from django.contrib import admin

from . import services
from .models import Attachment, CannedReply, Comment, Macro, SatisfactionSurvey, TeamRoute, Ticket, TicketEvent


@admin.register(TeamRoute)
class TeamRouteAdmin(admin.ModelAdmin):
    list_display = ["organisation", "category", "team"]
    list_filter = ["team"]


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    """Canned replies per team; saved through `tickets.services.canned_reply_save`."""

    list_display = ["title", "team", "is_active"]
    list_filter = ["team", "is_active"]
    search_fields = ["title", "body"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.canned_reply_save(
            team=data["team"], title=data["title"], body=data["body"], is_active=data["is_active"],
            reply=obj if change else None,
        )
        obj.pk = saved.pk


@admin.register(Macro)
class MacroAdmin(admin.ModelAdmin):
    """Macros of teams and of single agents (`tickets.services.macros`). Saved as the admin
    enters them; the database refuses a macro of neither or both, and a severity without reason."""

    list_display = ["title", "team", "owner", "status", "severity", "is_active"]
    list_filter = ["team", "is_active"]
    search_fields = ["title", "reply"]
    raw_id_fields = ["owner", "set_assignee"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TicketEventInline(admin.TabularInline):
    model = TicketEvent
    fields = ["created_at", "code", "actor", "payload", "is_public"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["reference", "subject", "organisation", "status", "severity", "team", "assignee", "reported_at"]
    list_filter = ["status", "severity", "category", "sla_state", "team"]
    search_fields = ["reference", "subject"]
    date_hierarchy = "reported_at"
    inlines = [TicketEventInline]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "author", "is_internal", "created_at"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "ticket", "size", "content_type", "is_internal", "created_at"]
    exclude = ["file"]


@admin.register(SatisfactionSurvey)
class SatisfactionSurveyAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "rating", "team", "agent", "asked_at", "answered_at"]
    list_filter = ["rating"]
    list_select_related = ["ticket", "team", "agent"]
