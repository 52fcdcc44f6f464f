from django.contrib import admin

from .models import ChatDesk


@admin.register(ChatDesk)
class ChatDeskAdmin(admin.ModelAdmin):
    """Chat desks are settings (hours, team, limits): edited here; chats themselves only through the
    console."""

    list_display = ("name", "slug", "calendar", "team", "max_chats_per_agent", "lead_after_minutes", "is_active")
    list_select_related = ("calendar", "team")
