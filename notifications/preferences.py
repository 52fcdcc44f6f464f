"""Which events mail a person: topics, registered by the apps that mail about them, and each
person's choice per topic (`NotificationSettings`), else their role's default.

Like the kinds (`notifications.kinds`), `notifications` knows no topic of its own: an upper app
registers each one from its `AppConfig.ready()` with `topic_register(Topic(...))`:
- `code`: stored in `NotificationSettings.choices`, e.g. ``ticket_assigned``;
- `label`, `help`: what the settings page shows (lazy translations);
- `group`: the heading it is listed under on the settings page;
- `applies(person)`: whether the person can get such mail at all (the page lists only those);
- `default(person)`: the mode without a choice of their own (per role);
- `modes(person)`: the modes the person may choose, e.g. no `OFF` for a manager's escalations;
- `refusal`: the error shown when someone submits a mode they may not choose.
A choice stored for a topic that is gone, or a mode the person may no longer choose (a changed
role), falls back to the default: the stored JSON is never trusted blindly."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .models import MailMode, NotificationSettings

MAIL, DIGEST, OFF = MailMode.MAIL, MailMode.DIGEST, MailMode.OFF


@dataclass(frozen=True)
class Topic:
    code: str
    label: str
    help: str
    group: str
    applies: Callable[[object], bool]
    default: Callable[[object], str]
    modes: Callable[[object], tuple[str, ...]] = field(default=lambda person: (MAIL, OFF))
    refusal: str = _("Please choose one of the offered options.")
    order: int = 0


_TOPICS: dict[str, Topic] = {}


def topic_register(topic: Topic) -> None:
    """Register (or replace) the topic with `topic.code`; call it from an `AppConfig.ready()`."""
    _TOPICS[topic.code] = topic


def topic_for(code: str) -> Topic | None:
    return _TOPICS.get(code)


def topics_for(person) -> list[Topic]:
    """The topics that concern `person`, in the order of the settings page."""
    return sorted((t for t in _TOPICS.values() if t.applies(person)), key=lambda t: (t.order, t.code))


def _mode(topic: Topic | None, person, stored: dict) -> str:
    if topic is None:
        return MAIL  # a topic nobody registered: mail as before, never silently drop a mail
    allowed = topic.modes(person)
    chosen = stored.get(topic.code)
    if chosen in allowed:
        return chosen
    default = topic.default(person)
    return default if default in allowed else allowed[0]


def stored_choices(person) -> dict:
    """The person's stored choices (a person fetched with `select_related("notification_settings")`
    costs no query)."""
    try:
        row = person.notification_settings
    except NotificationSettings.DoesNotExist:
        return {}
    return row.choices or {}


def mode_from(person, code: str, choices: dict) -> str:
    """The mode in force for `code`, given the person's stored `choices`."""
    return _mode(topic_for(code), person, choices or {})


def mail_mode(person, code: str) -> str:
    """How `person` is to hear about `code` by mail: MAIL, DIGEST or OFF."""
    return _mode(topic_for(code), person, stored_choices(person))


def mail_modes(person) -> dict[str, str]:
    """Every topic that concerns `person` → the mode in force (the settings page's initial values)."""
    stored = stored_choices(person)
    return {topic.code: _mode(topic, person, stored) for topic in topics_for(person)}


class Modes:
    """Mail modes for many people at once (the escalation scan): each person's stored choices are
    read once, with one query per `load` of people not seen yet."""

    def __init__(self) -> None:
        self._stored: dict[int, dict] = {}

    def load(self, user_ids: Iterable[int]) -> None:
        wanted = {pk for pk in user_ids if pk is not None} - set(self._stored)
        if not wanted:
            return
        self._stored.update(
            NotificationSettings.objects.filter(user_id__in=wanted).values_list("user_id", "choices")
        )
        for pk in wanted:
            self._stored.setdefault(pk, {})

    def mode(self, person, code: str) -> str:
        if person.pk not in self._stored:
            self.load([person.pk])
        return _mode(topic_for(code), person, self._stored[person.pk] or {})
