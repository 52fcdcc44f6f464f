"""Demo data of the agent workspace for `manage.py seed_demo`: canned replies per team, a saved
queue view for the demo agents, and some logged effort. Idempotent, written through the services."""

from __future__ import annotations

from tickets import services
from tickets.models import SavedView, Ticket, TimeEntry

CANNED_REPLIES = {
    "de-1st-level": [
        ("Eingangsbestätigung",
         "Guten Tag {customer_name},\n\nvielen Dank für Ihre Meldung {reference}. Wir haben mit der Analyse "
         "begonnen und melden uns spätestens bis {deadline}.\n\nMit freundlichen Grüßen\n{agent_name}"),
        ("Fernwartung anfragen",
         "Guten Tag {customer_name},\n\nbitte starten Sie das Fernwartungswerkzeug und nennen Sie uns die "
         "Sitzungs-ID, damit wir uns auf Ihr System verbinden können.\n\nViele Grüße\n{agent_name}"),
        ("Workaround mitgeteilt",
         "Guten Tag {customer_name},\n\nals vorübergehende Lösung haben wir Ihnen im Ticket {reference} einen "
         "Workaround beschrieben. Die dauerhafte Korrektur folgt mit dem nächsten Release.\n\n{agent_name}"),
    ],
    "pos-hotline": [
        ("Kasse neu starten",
         "Guten Tag {customer_name},\n\nbitte starten Sie die Kasse mit gedrückter F8-Taste neu; wir verbinden "
         "uns anschließend. Ihre Meldung: {reference}.\n\n{agent_name}"),
    ],
    "us-desk": [
        ("Acknowledgement",
         "Hello {customer_name},\n\nthank you for reporting {reference}. We have started the analysis and will "
         "get back to you by {deadline}.\n\nBest regards,\n{agent_name}"),
        ("Remote session",
         "Hello {customer_name},\n\nplease start the remote-maintenance tool and send us the session id so "
         "that we can connect.\n\n{agent_name}"),
    ],
    "partnersoft": [
        ("Eingangsbestätigung",
         "Guten Tag {customer_name},\n\nwir haben Ihre Meldung {reference} erhalten und kümmern uns bis "
         "{deadline} darum.\n\nIhr PartnerSoft-Support\n{agent_name}"),
    ],
}

SAVED_VIEWS = [
    # username, name, query
    ("agent", "Meine offenen Tickets", "assignee=me"),
    ("agent", "Schwerwiegend, nicht zugewiesen", "severity=severe&assignee=unassigned"),
    ("us-agent", "My open tickets", "assignee=me"),
]

EFFORT = [
    # ticket marker, agent, minutes, work type, note
    ("mueller-printer", "agent", 45, "remote", "Fernwartung Druckserver, Spooler analysiert"),
    ("mueller-datev", "agent", 30, "analysis", "Export nachgestellt"),
    ("acme-labels", "us-agent", 20, "communication", "Called the customer about the firmware"),
]


def seed(context: dict[str, object]) -> dict[str, object]:
    teams, users = context["teams"], context["users"]
    tickets: dict[str, Ticket] = context.get("tickets", {})
    for slug, replies in CANNED_REPLIES.items():
        for title, body in replies:
            services.canned_reply_save(team=teams[slug], title=title, body=body)
    for username, name, query in SAVED_VIEWS:
        if not SavedView.objects.filter(owner=users[username], name=name).exists():
            services.saved_view_save(owner=users[username], name=name, query=query)
    for marker, username, minutes, work_type, note in EFFORT:
        ticket = tickets.get(marker)
        if ticket is None or TimeEntry.objects.filter(ticket=ticket, note=note).exists():
            continue
        services.time_entry_add(
            ticket=ticket, actor=users[username], minutes=minutes, work_type=work_type, note=note,
        )
    return {}
