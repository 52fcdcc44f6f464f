"""Read-mostly admin screens: notifications, and the outbox with a resend action."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Notification, OutboxMail


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "ticket", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "ticket__reference"]
    raw_id_fields = ["recipient", "ticket"]
    readonly_fields = ["recipient", "kind", "payload", "ticket", "created_at", "read_at"]

    def has_add_permission(self, request):
        return False


@admin.register(OutboxMail)
class OutboxMailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "key", "recipient", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["key", "recipient__username", "recipient__email", "ticket__reference"]
    readonly_fields = [f.name for f in OutboxMail._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send the selected given-up mails again"))
    def resend(self, request, queryset):
        count = sum(services.outbox_mail_retry(mail=mail) for mail in queryset)
        self.message_user(
            request,
            ngettext("%(count)d mail queued again.", "%(count)d mails queued again.", count) % {"count": count},
            messages.SUCCESS,
        )
