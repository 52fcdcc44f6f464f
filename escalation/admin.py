"""Admin screen of the escalations: read only, they are written by the scan, once each."""

from django.contrib import admin

from .models import Escalation


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    """Read only: escalations are written by the scan, once each."""

    list_display = ["ticket", "target", "level", "due_at", "fired_at"]
    list_filter = ["target", "level"]
    search_fields = ["ticket__reference"]
    readonly_fields = ["ticket", "target", "level", "due_at", "fired_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
