"""Admin: tokens are read-only here (people manage their own); devices are registered here,
and the new key is shown once in a message."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .models import ApiToken, Device, DeviceIncident, InboundMail


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True).select_related("user"):
            services.api_token_revoke(token=token, actor=token.user)
            count += 1
        self.message_user(request, _("%(count)d tokens revoked.") % {"count": count}, messages.SUCCESS)


class DeviceIncidentInline(admin.TabularInline):
    model = DeviceIncident
    fields = ["error_code", "ticket", "is_open", "report_count", "opened_at", "last_report_at", "recovered_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ["name", "serial", "organisation", "prefix", "is_active", "last_report_at"]
    list_filter = ["is_active", "organisation"]
    search_fields = ["name", "serial", "organisation__name"]
    readonly_fields = ["prefix", "created_at", "last_report_at"]
    exclude = ["key_hash"]
    inlines = [DeviceIncidentInline]
    actions = ["rotate_key"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "organisation", "serial"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        device, key = services.device_register(
            organisation=obj.organisation, name=obj.name, serial=obj.serial, actor=request.user
        )
        obj.pk, obj.prefix, obj.key_hash = device.pk, device.prefix, device.key_hash
        self.message_user(
            request, _("Device key (copy it now, it is shown only once): %(key)s") % {"key": key}, messages.WARNING
        )

    @admin.action(description=gettext_lazy("Give the selected devices new keys"))
    def rotate_key(self, request, queryset):
        for device in queryset:
            key = services.device_key_rotate(device=device, actor=request.user)
            self.message_user(request, _("New key of %(device)s: %(key)s") % {"device": device, "key": key},
                              messages.WARNING)


@admin.register(InboundMail)
class InboundMailAdmin(admin.ModelAdmin):
    list_display = ["received_at", "sender", "subject", "outcome", "reason", "trust", "review", "ticket", "answered_at"]
    list_filter = ["outcome", "reason", "trust", "review"]
    search_fields = ["sender", "subject", "message_key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
