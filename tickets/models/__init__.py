from .conversation import Attachment, Comment
from .history import EventCode, NotificationSent, TicketEvent
from .routing import TeamRoute
from .ticket import Ticket, TicketCounter

__all__ = [
    "Attachment",
    "Comment",
    "EventCode",
    "NotificationSent",
    "TeamRoute",
    "Ticket",
    "TicketCounter",
    "TicketEvent",
]
