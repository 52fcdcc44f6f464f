from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def chats_offer_to_leads() -> int:
    """Periodic (beat): the chats waiting too long are offered to their desk team's lead."""
    return len(services.chats_offer_to_leads(now=timezone.now()))
