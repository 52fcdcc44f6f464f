"""Demo tickets for `manage.py seed_demo`: a handful per demo customer, in various statuses,
with a conversation. Created through the services, like every ticket, so they get their SLA
deadlines: one falls due a few minutes after seeding, one is breached, others are met. Idempotent: each ticket
is keyed by a stable marker (its filing token), and a ticket that exists is left alone. The
demo does not mail the demo people: its outbox mails are recorded as not to be sent."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from sla.choices import Category, Severity, Status
from sla.selectors import policy_for
from sla.services.computations import deadline_for, support_status, ticket_targets_for, whole_second
from tickets import notifications, services
from tickets.choices import Channel
from tickets.models import TeamRoute, Ticket
from tickets.references import format_reference

# The first demo ticket (Müller, with an attachment): tests/routes.py checks its routes.
DEMO_ATTACHMENT_ID = uuid.uuid5(uuid.NAMESPACE_URL, "https://helpdesk.example/demo/mueller-printer-log")


def first_demo_reference(now=None) -> str:
    """The reference of the first demo ticket in a fresh database (filed in the current year)."""
    return format_reference(timezone.localtime(now or timezone.now()).year, 1)


ROUTES = [
    # organisation key, category ("" = default), team slug
    ("mueller", "", "de-1st-level"),
    ("acme", "", "us-desk"),
    ("retail", Category.FAULT, "pos-hotline"),
    ("retail", Category.DATA_LOSS, "pos-hotline"),
    ("retail", "", "de-1st-level"),
]

# Reported so that the reaction deadline falls a few minutes after seeding (as soon as the desk
# is open): the escalation demo has something to escalate. And reported so that the reaction,
# given at seeding, comes after the deadline: a breached ticket.
DUE_SOON, BREACHED = "due-soon", "breached"
DUE_SOON_MINUTES = 5

# marker, requester, hours ago (or DUE_SOON / BREACHED), fields, script [(action, who, argument)]
TICKETS = [
    ("mueller-printer", "customer", 30, {
        "subject": "Druckaufträge bleiben in der Warteschlange hängen",
        "category": Category.FAULT, "severity": Severity.SEVERE,
        "affected_system": "ProduktionsPlaner 7.2, Druckserver Halle 2",
        "description": "Seit dem Update heute früh werden **keine Arbeitskarten** mehr gedruckt. "
                       "Die Aufträge stehen im Spooler auf „Wird gedruckt“.",
        "occurring_since": "heute 06:40, nach dem Update",
        "steps_to_reproduce": "1. Auftrag öffnen\n2. „Arbeitskarte drucken“ wählen\n3. Nichts passiert",
        "impact": "Die Fertigung in Halle 2 arbeitet ohne Arbeitskarten; drei Linien stehen.",
        "callback_phone": "+49 231 555 01 23", "remote_session_id": "842 113 907",
    }, [
        ("assign", "agent", "agent"),
        ("status", "agent", Status.IN_PROGRESS),
        ("reply", "agent", "Wir haben uns auf den Druckserver verbunden und sehen den Fehler. "
                           "Können Sie uns das Protokoll des Spoolers schicken?"),
        ("reply_file", "customer", "Anbei das Protokoll vom Druckserver."),
        ("note", "agent", "Spooler-Dienst hängt nach dem Update; Treiber 4.1 zurückspielen."),
    ]),
    ("mueller-datev", "customer", BREACHED, {
        "subject": "Export nach DATEV bricht bei Monatsabschluss ab",
        "category": Category.FAULT, "severity": Severity.MINOR,
        "affected_system": "Finanzmodul 7.2",
        "description": "Der Export bricht bei mehr als 5 000 Buchungen mit „Zeitüberschreitung“ ab.",
        "occurring_since": "Monatsabschluss Oktober", "impact": "Der Export muss in Teilen gemacht werden.",
    }, [
        ("assign", "agent", "agent"),
        ("status", "agent", Status.IN_PROGRESS),
        ("workaround", "agent", "Exportieren Sie den Monat in zwei Hälften (1.–15. und 16.–Monatsende)."),
        ("release", "agent", "7.3"),
    ]),
    ("mueller-users", "customer", 200, {
        "subject": "Wie lege ich einen neuen Benutzer an?",
        "category": Category.QUESTION,
        "description": "Wir haben eine neue Kollegin in der Arbeitsvorbereitung. Wie bekommt sie Zugang?",
    }, [
        ("status", "agent", Status.IN_PROGRESS),
        ("reply", "agent", "Unter *Verwaltung → Benutzer → Neu* legen Sie den Zugang an; die Rolle "
                           "„Arbeitsvorbereitung“ genügt."),
        ("status", "agent", Status.RESOLVED),
    ]),
    ("mueller-licence", "customer", 400, {
        "subject": "Lizenz für einen weiteren Arbeitsplatz",
        "category": Category.ORDER,
        "description": "Bitte eine weitere Lizenz für den Arbeitsplatz im Lager freischalten.",
    }, [
        ("status", "agent", Status.IN_PROGRESS),
        ("reply", "agent", "Die Lizenz ist freigeschaltet."),
        ("status", "agent", Status.RESOLVED),
        ("confirm", "customer", None),
    ]),
    ("mueller-masterdata", "customer", DUE_SOON, {
        "subject": "Stammdaten nach Import verschwunden",
        "category": Category.DATA_LOSS, "severity": Severity.SEVERE,
        "affected_system": "Stammdatenimport", "description": "Nach dem Import fehlen 240 Artikel.",
        "occurring_since": "vor zwei Stunden", "impact": "Aufträge mit diesen Artikeln lassen sich nicht buchen.",
    }, []),
    ("acme-labels", "us-customer", 50, {
        "subject": "Label printer drops every tenth job",
        "category": Category.FAULT, "severity": Severity.MINOR,
        "affected_system": "Shipping station 2, label service 3.4",
        "description": "Roughly every tenth label never prints; no error is shown.",
        "occurring_since": "last Monday", "impact": "Parcels wait until someone notices.",
    }, [
        ("assign", "us-agent", "us-agent"),
        ("status", "us-agent", Status.IN_PROGRESS),
        ("reply", "us-agent", "Could you tell us the printer's firmware version?"),
        ("status", "us-agent", Status.WAITING_ON_CUSTOMER),
    ]),
    ("acme-sync", "us-customer", 6, {
        "subject": "Nightly sync lost yesterday's orders",
        "category": Category.DATA_LOSS, "severity": Severity.SEVERE,
        "affected_system": "ERP connector", "description": "Orders entered yesterday are missing after the sync.",
        "occurring_since": "this morning", "impact": "About 80 orders must be re-entered.",
    }, [
        ("status", "us-agent", Status.IN_PROGRESS),
        ("note", "us-agent", "Connector log shows a timeout at 02:13; checking the retry queue."),
        ("reply", "us-agent", "We found the cause and are restoring the orders from the retry queue."),
    ]),
    ("acme-howto", "us-customer", 300, {
        "subject": "How do I add a shipping station?",
        "category": Category.QUESTION, "description": "We are opening a second dock and need another station.",
    }, [
        ("reply", "us-agent", "Add it under *Settings → Stations*; the licence covers up to five."),
        ("status", "us-agent", Status.RESOLVED),
        ("confirm", "us-customer", None),
    ]),
    ("retail-till", "pos-customer", 3, {
        "subject": "Kasse 3 startet nicht mehr",
        "category": Category.FAULT, "severity": Severity.SEVERE,
        "affected_system": "Kasse 3, Filiale Dortmund-Mitte", "description": "Die Kasse bleibt beim Startbild stehen.",
        "occurring_since": "Ladenöffnung 08:00", "impact": "Nur zwei von drei Kassen offen, lange Schlangen.",
    }, [
        ("status", "agent", Status.IN_PROGRESS),
        ("reply", "agent", "Bitte starten Sie die Kasse mit gedrückter F8-Taste neu; wir verbinden uns dann."),
    ]),
    ("retail-receipt", "pos-customer", 26, {
        "subject": "Bon-Layout: Logo austauschen",
        "category": Category.CONFIGURATION, "description": "Bitte das neue Logo auf den Kassenbons verwenden.",
    }, []),
    ("retail-closing", "pos-customer", 150, {
        "subject": "Kassenabschluss zeigt Differenz von 0,01 €",
        "category": Category.FAULT, "severity": Severity.MINOR,
        "affected_system": "Kassenabschluss", "description": "Der Tagesabschluss weicht um einen Cent ab.",
        "occurring_since": "seit drei Tagen", "impact": "Der Abschluss muss manuell korrigiert werden.",
    }, [
        ("status", "agent", Status.IN_PROGRESS),
        ("reply", "agent", "Ein Rundungsfehler bei Rabatten; die Korrektur ist eingespielt."),
        ("status", "agent", Status.RESOLVED),
    ]),
    ("baeckerei-scale", "partner-customer", 4, {
        "subject": "Waage überträgt keine Preise",
        "category": Category.FAULT, "severity": Severity.SEVERE,
        "affected_system": "Thekenwaage 1", "description": "Die Waage zeigt die alten Preise.",
        "occurring_since": "heute früh", "impact": "Brötchen werden zu alten Preisen verkauft.",
    }, [
        ("status", "partner-agent", Status.IN_PROGRESS),
        ("reply", "partner-agent", "Wir spielen die Preisliste neu auf die Waage."),
    ]),
    ("baeckerei-items", "partner-customer", 240, {
        "subject": "Neue Artikel anlegen",
        "category": Category.QUESTION, "description": "Wie lege ich die Weihnachtsstollen als Artikel an?",
    }, [
        ("reply", "partner-agent", "Unter Artikel → Neu, Warengruppe „Saison“."),
        ("status", "partner-agent", Status.RESOLVED),
        ("confirm", "partner-customer", None),
    ]),
]

PRINTER_LOG = (
    "2026-11-20 06:41:07 spoolsv: Auftrag 4711 angenommen (Arbeitskarte)\n"
    "2026-11-20 06:41:09 spoolsv: Treiber „HP Universal 4.2“ antwortet nicht\n"
).encode()


def _run(ticket, users, script) -> None:
    for action, who, argument in script:
        actor = users[who]
        ticket.refresh_from_db()
        if action == "assign":
            services.ticket_assign(ticket=ticket, actor=actor, assignee=users[argument])
        elif action == "status":
            services.ticket_change_status(ticket=ticket, actor=actor, status=argument)
        elif action == "reply":
            services.comment_add(ticket=ticket, author=actor, body=argument)
        elif action == "reply_file":
            comment = services.comment_add(ticket=ticket, author=actor, body=argument).comment
            services.attachment_add(
                ticket=ticket,
                actor=actor,
                comment=comment,
                file=ContentFile(PRINTER_LOG, name="Fehlerprotokoll Drucker.txt"),
                public_id=DEMO_ATTACHMENT_ID,
            )
        elif action == "note":
            services.comment_add(ticket=ticket, author=actor, body=argument, is_internal=True)
        elif action == "workaround":
            services.ticket_provide_workaround(ticket=ticket, actor=actor, workaround=argument)
        elif action == "release":
            services.ticket_set_fix_release(ticket=ticket, actor=actor, release=argument)
        elif action == "confirm":
            services.ticket_confirm_resolution(ticket=ticket, actor=actor)


def _reported_at_for_deadline(*, organisation, fields, goal, now):
    """The latest instant (whole seconds, not after `now`) from which the ticket's reaction deadline
    is at or before `goal`: the deadline grows with the start, so a binary search finds it."""
    targets = ticket_targets_for(
        organisation=organisation, category=fields["category"], severity=fields.get("severity", ""), at=now
    )
    if targets is None:
        return now - timedelta(hours=2)
    calendar = targets.policy.calendar

    def due(start):
        return deadline_for(calendar=calendar, start=start, target=targets.reaction_target)

    low, high = 0, 60 * 24 * 3600  # seconds before now
    if due(now) <= goal:
        return whole_second(now)
    while low < high:
        middle = (low + high) // 2
        if due(now - timedelta(seconds=middle)) <= goal:
            high = middle
        else:
            low = middle + 1
    return whole_second(now - timedelta(seconds=low))


def _due_soon_goal(*, organisation, fields, now):
    """A few minutes from now, or a few minutes after the desk next opens."""
    policy = policy_for(organisation=organisation, category=fields["category"], at=now)
    soon = now + timedelta(minutes=DUE_SOON_MINUTES)
    if policy is None:
        return soon
    is_open, opening = support_status(calendar=policy.calendar, now=soon)
    return soon if is_open else opening + timedelta(minutes=DUE_SOON_MINUTES)


def _reported_at(*, organisation, fields, hours_ago, now, start_of_year):
    if hours_ago == DUE_SOON:
        goal = _due_soon_goal(organisation=organisation, fields=fields, now=now)
    elif hours_ago == BREACHED:
        goal = now - timedelta(hours=2)
    else:
        return max(now - timedelta(hours=hours_ago), start_of_year)
    return _reported_at_for_deadline(organisation=organisation, fields=fields, goal=goal, now=now)


def seed(context: dict[str, object]) -> dict[str, object]:
    """The demo routes and tickets; deadlines relative to `context["now"]` (the seeding's clock)."""
    organisations, users, teams = context["organisations"], context["users"], context["teams"]
    for org_key, category, slug in ROUTES:
        TeamRoute.objects.update_or_create(
            organisation=organisations[org_key], category=category, defaults={"team": teams[slug]}
        )
    now = context.get("now") or timezone.now()
    start_of_year = timezone.localtime(now).replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    tickets: dict[str, Ticket] = {}
    created = []
    for marker, requester_name, hours_ago, fields, script in TICKETS:
        requester = users[requester_name]
        filed = services.ticket_create(
            organisation=requester.organisation,
            requester=requester,
            actor=requester,
            channel=Channel.PORTAL,
            reported_at=_reported_at(
                organisation=requester.organisation, fields=fields, hours_ago=hours_ago, now=now,
                start_of_year=start_of_year,
            ),
            idempotency_key=f"demo:{marker}",  # seeding again finds the ticket seeded before
            **fields,
        )
        tickets[marker] = filed.ticket
        if filed.created:
            _run(filed.ticket, users, script)
            created.append(filed.ticket.pk)
    notifications.mark_as_sent(ticket_ids=created)
    return {"tickets": tickets}
