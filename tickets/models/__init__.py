from .conversation import Attachment, Comment
from .effort import TimeEntry, WorkType
from .history import EventCode, TicketEvent
from .next_reply import NextReplyCycle
from .routing import TeamRoute
from .satisfaction import SatisfactionSurvey
from .ticket import Ticket, TicketCounter
from .workspace import CannedReply, SavedView, TicketPresence

__all__ = [
    "Attachment",
    "CannedReply",
    "Comment",
    "EventCode",
    "NextReplyCycle",
    "SatisfactionSurvey",
    "SavedView",
    "TeamRoute",
    "Ticket",
    "TicketCounter",
    "TicketEvent",
    "TicketPresence",
    "TimeEntry",
    "WorkType",
]
