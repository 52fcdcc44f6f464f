from .conversation import Attachment, Comment
from .effort import TimeEntry, WorkType
from .history import EventCode, TicketEvent
from .macros import Macro
from .next_reply import NextReplyCycle
from .routing import TeamRoute
from .satisfaction import SatisfactionSurvey
from .tags import TaggedTicket
from .ticket import Ticket, TicketCounter
from .watchers import TicketWatcher
from .workspace import CannedReply, SavedView, TicketPresence

__all__ = [
    "Attachment",
    "CannedReply",
    "Comment",
    "EventCode",
    "Macro",
    "NextReplyCycle",
    "SatisfactionSurvey",
    "SavedView",
    "TaggedTicket",
    "TeamRoute",
    "Ticket",
    "TicketCounter",
    "TicketEvent",
    "TicketPresence",
    "TicketWatcher",
    "TimeEntry",
    "WorkType",
]
