from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts import access

from .models import DataExport, Erasure, RetentionRule


class PrivacyAdminMixin:
    """Data protection in the admin: administrators only (`accounts.access`)."""

    def has_module_permission(self, request):
        return access.may_manage_personal_data(request.user)

    def has_view_permission(self, request, obj=None):
        return access.may_manage_personal_data(request.user)


@admin.register(RetentionRule)
class RetentionRuleAdmin(PrivacyAdminMixin, admin.ModelAdmin):
    list_display = ("organisation", "closed_ticket_days", "updated_at")
    search_fields = ("organisation__name", "organisation__customer_number")
    autocomplete_fields = ("organisation",)

    def has_add_permission(self, request):
        return access.may_manage_personal_data(request.user)

    def has_change_permission(self, request, obj=None):
        return access.may_manage_personal_data(request.user)

    def has_delete_permission(self, request, obj=None):
        return access.may_manage_personal_data(request.user)


class RecordAdmin(PrivacyAdminMixin, admin.ModelAdmin):
    """The records are written by the services only and never changed."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("person"))
    def person_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("privacy:person", args=[obj.person_id]), obj.person_id)


@admin.register(DataExport)
class DataExportAdmin(RecordAdmin):
    list_display = ("exported_at", "person_link", "actor")
    date_hierarchy = "exported_at"


@admin.register(Erasure)
class ErasureAdmin(RecordAdmin):
    list_display = ("erased_at", "person_link", "actor", "reason")
    date_hierarchy = "erased_at"
