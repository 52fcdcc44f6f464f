from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Absence, Organisation, Team, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "customer_number", "kind", "country", "language", "support_partner", "is_active")
    list_filter = ("kind", "country", "language", "is_active")
    search_fields = ("name", "customer_number")
    autocomplete_fields = ("support_partner",)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "lead", "auto_assign", "is_active")
    list_filter = ("organisation", "auto_assign", "is_active")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("members",)
    autocomplete_fields = ("lead",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "organisation", "role", "language", "is_active",
                    "mail_bounced_at")
    list_filter = (
        "role", "language", "is_active", "organisation__kind", ("mail_bounced_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("username", "email", "first_name", "last_name", "organisation__name")
    autocomplete_fields = ("organisation",)
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Helpdesk"), {"fields": ("organisation", "role", "language", "phone")}),
        (_("Mail delivery"), {
            "fields": ("mail_bounced_at", "mail_bounce_reason"),
            "description": _("Set when mail to this address came back as undeliverable. Empty both fields once "
                             "the address is fixed."),
        }),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Helpdesk"), {"fields": ("email", "organisation", "role", "language")}),
    )


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin):
    """Absences entered here skip the agent in auto-assignment; the bell notice to the team leads is
    written only by the agent desk's absence page and the API."""

    list_display = ("agent", "starts_on", "ends_on", "kind", "note", "created_by")
    list_filter = ("kind",)
    date_hierarchy = "starts_on"
    search_fields = ("agent__username", "agent__first_name", "agent__last_name", "note")
    autocomplete_fields = ("agent",)
    readonly_fields = ("created_by", "created_at")
