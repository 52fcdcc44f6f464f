"""Demo chat desk for `manage.py seed_demo`: "Chat Deutschland" on the German desk's hours, answered
by the vendor's first-level team; the demo agent is available. Idempotent."""

from sla.models import Calendar

from . import services
from .models import ChatDesk

DESK_SLUG = "chat-de"


def seed(context: dict[str, object]) -> dict[str, object]:
    calendar = Calendar.objects.filter(slug="de-nrw-standard").first()
    teams = context.get("teams") or {}
    users = context.get("users") or {}
    if calendar is None:
        return {}
    desk, _ = ChatDesk.objects.update_or_create(
        slug=DESK_SLUG,
        defaults={"name": "Chat Deutschland", "calendar": calendar, "team": teams.get("de-1st-level"),
                  "max_chats_per_agent": 3, "lead_after_minutes": 5},
    )
    if "agent" in users:
        services.availability_set(agent=users["agent"], status="available", now=context["now"])
    return {"chat_desk": desk}
