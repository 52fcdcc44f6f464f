"""The limits of a chat message (settings, `.env.example`): length and rate per sender."""

from django.conf import settings


def message_max_length() -> int:
    return int(getattr(settings, "CHAT_MESSAGE_MAX_LENGTH", 2000))


def rate_limit() -> tuple[int, int]:
    """(messages, seconds): one side of a chat sends at most that many messages in that window."""
    return int(getattr(settings, "CHAT_RATE_MESSAGES", 20)), int(getattr(settings, "CHAT_RATE_SECONDS", 60))


def frame_max_bytes() -> int:
    """A WebSocket frame larger than this is refused before it is parsed."""
    return message_max_length() * 4 + 1024
