"""The main navigation, per role. Each entry names the predicate from `accounts.access` that
shows it; later features add their entries here."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from . import access


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    icon: str
    visible: Callable


NAVIGATION = [
    NavEntry(_("Home"), "home", "house", access._active),
    NavEntry(_("Our tickets"), "tickets:list", "ticket-detailed", access.is_customer),
    NavEntry(_("New ticket"), "tickets:create", "plus-circle", access.can_file_tickets),
    NavEntry(_("Chat"), "chat:portal", "chat-dots", access.is_customer),
    NavEntry(_("Queue"), "tickets:queue", "inboxes", access.is_agent),
    NavEntry(_("Chat console"), "chat:console", "chat-dots", access.is_agent),
    NavEntry(_("Unverified e-mail"), "held_mail:list", "envelope-exclamation", access.is_agent),
    NavEntry(_("My organisation"), "accounts:organisation", "building", access.is_customer),
    NavEntry(_("Teams"), "accounts:teams", "people", access.is_agent),
    NavEntry(_("Absences"), "tickets:absences", "calendar-x", access.is_agent),
    NavEntry(_("Dashboard"), "dashboard:index", "speedometer2", access.is_manager),
    NavEntry(_("SLA audit"), "dashboard:sla_audit", "journal-text", access.may_read_sla_audit),
    NavEntry(_("Knowledge base"), "knowledge:index", "book", access._active),
    NavEntry(_("Releases"), "products:index", "box-seam", access._active),
    NavEntry(_("Support hours"), "sla:support_hours", "clock", access._active),
    NavEntry(_("API tokens"), "api_tokens:list", "key", access._active),
    NavEntry(_("Data protection"), "privacy:index", "shield-lock", access.may_manage_personal_data),
    NavEntry(_("Administration"), "admin:index", "gear", access.is_admin),
]


def navigation_for(user, current_path: str) -> list[dict]:
    items = []
    for entry in NAVIGATION:
        if not entry.visible(user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:  # an entry whose feature is switched off
            continue
        active = current_path == url if url == "/" else current_path.startswith(url)
        items.append(
            {"label": entry.label, "name": entry.url_name, "url": url, "icon": entry.icon, "active": active}
        )
    return items
