"""Escalation texts tell the truth: every in-app text and mail names the target's real due instant
(not the instant at which the level fell due) in the reader's language and time zone, and a
warning says how much support time is left.

A severe fault filed on Monday 2 March 2026 at 09:00 (Berlin) on a Mon-Thu 09-17, Fri 09-16
calendar, reaction 6 h, resolution 16 h, warning at 75 %, post-breach 2 h:
- reaction: warning Mon 13:30, due (breach) Mon 15:00, post-breach Mon 17:00;
- resolution: warning Tue 13:00, due (breach) Tue 17:00, post-breach Wed 11:00.
The German reader works in Germany (Berlin time), the English one for a US vendor (New York time)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.dateparse import parse_datetime

from accounts.formatting import format_moment
from accounts.models import Organisation, Role
from escalation.kinds import SLA_ESCALATION
from escalation.services import escalation_scan
from notifications.kinds import notification_show
from notifications.mail import mail_render
from notifications.models import Notification, OutboxMail
from sla import services as sla_services
from tests.factories import ContactFactory, OrganisationFactory, TicketFactory, UserFactory, VendorFactory
from tests.sla.factories import contract, nrw_calendar, policy

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=BERLIN)


FILED = berlin(2, 9)
DUE = {"reaction": berlin(2, 15), "resolution": berlin(3, 17)}
LEVEL_AT = {
    ("warning", "reaction"): berlin(2, 13, 30),
    ("breach", "reaction"): berlin(2, 15),
    ("post_breach", "reaction"): berlin(2, 17),
    ("warning", "resolution"): berlin(3, 13),
    ("breach", "resolution"): berlin(3, 17),
    ("post_breach", "resolution"): berlin(4, 11),
}
# The due instants as each reader reads them.
DUE_SHOWN = {
    ("de", "reaction"): "Montag, 2. März 2026, 15:00 CET",
    ("de", "resolution"): "Dienstag, 3. März 2026, 17:00 CET",
    ("en", "reaction"): "Monday, 2 March 2026, 09:00 EST",
    ("en", "resolution"): "Tuesday, 3 March 2026, 11:00 EST",
}
# Support time left at the warning: 13:30 → 15:00, and Tuesday 13:00 → 17:00.
LEFT_SHOWN = {
    ("de", "reaction"): "noch 1 Std. 30 Min. Supportzeit",
    ("de", "resolution"): "noch 4 Std. 0 Min. Supportzeit",
    ("en", "reaction"): "1 h 30 min of support time left",
    ("en", "resolution"): "4 h 0 min of support time left",
}
CASES = [(level, target) for target in ("reaction", "resolution") for level in ("warning", "breach", "post_breach")]


@pytest.fixture
def desk(db, clock):
    """A customer with a contract, and one manager per language (the only people told)."""
    calendar = nrw_calendar(years=(2025, 2027))
    gold = policy(calendar, slug="gold", reaction=("6h", "1.5d"), resolution=("16h", "5d"))
    sla_services.policy_update(policy=gold, data={"post_breach_after": "2h"})
    customer = OrganisationFactory(kind=Organisation.Kind.CUSTOMER)
    contract(customer, gold, valid_from=date(2026, 1, 1))
    readers = {
        "de": UserFactory(role=Role.MANAGER, organisation=VendorFactory(country="DE"), language="de"),
        "en": UserFactory(role=Role.MANAGER, organisation=VendorFactory(country="US", language="en"), language="en"),
    }
    clock.set(FILED)
    ticket = TicketFactory(requester=ContactFactory(organisation=customer), severity="severe", reported_at=FILED)
    assert (ticket.reaction_due_at, ticket.resolution_due_at) == (DUE["reaction"], DUE["resolution"])
    return ticket, readers


def escalate(clock, level: str, target: str) -> None:
    """Scan a minute after the level fell due (the earlier levels fire in the same scan)."""
    now = clock.set(LEVEL_AT[(level, target)].replace(minute=LEVEL_AT[(level, target)].minute + 1))
    assert any((f.escalation.level, f.escalation.target) == (level, target) for f in escalation_scan(now=now))


def of(rows, level: str, target: str):
    [row] = [r for r in rows if (r.payload["level"], r.payload["target"]) == (level, target)]
    return row


def assert_tells_the_truth(text: str, *, language: str, level: str, target: str, reader) -> None:
    assert DUE_SHOWN[(language, target)] in text
    if level == "warning":
        assert LEFT_SHOWN[(language, target)] in text
    if level != "breach":  # before the fix, these texts named the level's own instant
        with translation.override(language):
            assert format_moment(LEVEL_AT[(level, target)], reader) not in text


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize(("level", "target"), CASES)
def test_the_in_app_text_names_the_real_due_instant(desk, clock, language, level, target):
    ticket, readers = desk
    reader = readers[language]
    escalate(clock, level, target)
    notification = of(Notification.objects.filter(recipient=reader, ticket=ticket), level, target)
    with translation.override(language):
        text = notification_show(kind=notification.kind, payload=notification.payload, reader=reader).text
    assert ticket.reference in text
    assert_tells_the_truth(text, language=language, level=level, target=target, reader=reader)


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize(("level", "target"), CASES)
def test_the_mail_names_the_real_due_instant_in_subject_and_body(desk, clock, language, level, target):
    ticket, readers = desk
    reader = readers[language]
    escalate(clock, level, target)
    message = mail_render(mail=of(OutboxMail.objects.filter(recipient=reader, ticket=ticket), level, target))
    assert message.subject.startswith(f"[{ticket.reference}]") and message.subject.endswith(ticket.subject)
    assert DUE_SHOWN[(language, target)] in message.subject
    assert_tells_the_truth(message.body, language=language, level=level, target=target, reader=reader)
    html = message.alternatives[0][0]
    assert DUE_SHOWN[(language, target)] in html


def test_the_payload_keeps_the_level_instant_beside_the_due_instant(desk, clock):
    ticket, readers = desk
    escalate(clock, "post_breach", "resolution")
    rows = Notification.objects.filter(recipient=readers["de"], ticket=ticket)
    warning = of(rows, "warning", "resolution").payload
    assert parse_datetime(warning["due_at"]) == DUE["resolution"]
    assert parse_datetime(warning["level_at"]) == LEVEL_AT[("warning", "resolution")]
    assert warning["left_seconds"] == 4 * 3600
    post_breach = of(rows, "post_breach", "resolution").payload
    assert parse_datetime(post_breach["due_at"]) == DUE["resolution"]
    assert parse_datetime(post_breach["level_at"]) == LEVEL_AT[("post_breach", "resolution")]
    assert "left_seconds" not in post_breach


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("breach", "Die Reaktionsfrist von HD-2026-000007 ist am Montag, 2. März 2026, 15:00 CET abgelaufen."),
        ("warning", "Die Reaktion auf HD-2026-000007 ist bald fällig."),
        ("post_breach", "HD-2026-000007 hat noch immer keine Reaktion."),
    ],
)
def test_an_old_row_with_only_the_level_instant_still_renders(level, expected):
    """Rows written before the fix: `due_at` was when the level fell due, which is the deadline
    only for a breach; the other levels are told without an instant rather than a wrong one."""
    payload = {"target": "reaction", "level": level, "due_at": "2026-03-02T14:00:00+00:00",
               "reference": "HD-2026-000007"}
    reader = UserFactory.build(organisation=OrganisationFactory.build(country="DE"))
    with translation.override("de"):
        assert notification_show(kind=SLA_ESCALATION, payload=payload, reader=reader).text == expected
