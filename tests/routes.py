"""The route table: every named route, and what each role gets when it asks for it.

Every route of the project must appear here (a test enforces it), so a new page cannot ship
without its access rules being tested for every role."""

from django.urls import URLPattern, URLResolver, get_resolver

from knowledge.demo import DEMO_ARTICLE_SLUG, DEMO_IMAGE_ID
from tickets.demo import DEMO_ATTACHMENT_ID, first_demo_reference

ROLES = ["anonymous", "customer", "reader", "us-customer", "partner-agent", "agent", "manager", "admin"]
CUSTOMERS = {"customer", "reader", "us-customer"}
AGENTS = {"partner-agent", "agent", "manager", "admin"}
SIGNED_IN = CUSTOMERS | AGENTS

OK, LOGIN, FORBIDDEN, ADMIN_LOGIN, NOT_ALLOWED, REDIRECT = 200, "login", 403, "admin-login", 405, 302


NOT_FOUND = 404
FILERS = {"customer", "us-customer"}  # customer contacts; readers and agents do not file in the portal
MUELLER_TICKET = {"reference": first_demo_reference()}
MUELLER_TICKET_READERS = {"customer", "reader", "agent", "manager", "admin"}
MANAGERS = {"manager", "admin"}
KB_ARTICLE = {"slug": DEMO_ARTICLE_SLUG}
MUELLER_REPORT = {"customer_number": "10001", "year": 2026, "month": 11}
NO_CHAT = {"public_id": "00000000-0000-4000-8000-000000000000"}


def only(allowed: set[str], otherwise=FORBIDDEN, anonymous=LOGIN) -> dict[str, object]:
    return {role: anonymous if role == "anonymous" else (OK if role in allowed else otherwise) for role in ROLES}


def everyone(status=OK) -> dict[str, object]:
    return dict.fromkeys(ROLES, status)


# name: (kwargs, {role: expected GET outcome})
ROUTES: dict[str, tuple[dict, dict[str, object]]] = {
    "home": ({}, only(SIGNED_IN)),
    "healthz": ({}, everyone()),
    "favicon": ({}, everyone(301)),  # to the icon among the static files
    "login": ({}, {**everyone(REDIRECT), "anonymous": OK}),
    "logout": ({}, everyone(NOT_ALLOWED)),
    "password_change": ({}, only(SIGNED_IN)),
    "password_change_done": ({}, only(SIGNED_IN)),
    "password_reset": ({}, everyone()),
    "password_reset_done": ({}, everyone()),
    "password_reset_confirm": ({"uidb64": "MQ", "token": "set-password"}, everyone()),
    "password_reset_complete": ({}, everyone()),
    "accounts:organisation": ({}, only(CUSTOMERS)),
    "accounts:teams": ({}, only(AGENTS)),
    "accounts:language": ({}, everyone(NOT_ALLOWED)),
    "sla:support_hours": ({}, everyone()),
    # Tickets: the list for customers, filing for contacts; ticket-scoped routes use the first
    # demo ticket (Müller's, with an attachment): others' tickets are a 404, never a 403.
    "tickets:list": ({}, only(CUSTOMERS)),
    "tickets:create": ({}, only(FILERS)),
    "tickets:preview": ({}, only(FILERS)),
    "tickets:detail": (MUELLER_TICKET, only(MUELLER_TICKET_READERS, otherwise=NOT_FOUND)),
    "tickets:reply": (MUELLER_TICKET, everyone(NOT_ALLOWED)),
    "tickets:confirm": (MUELLER_TICKET, everyone(NOT_ALLOWED)),
    "tickets:close": (MUELLER_TICKET, everyone(NOT_ALLOWED)),
    "tickets:reopen": (MUELLER_TICKET, everyone(NOT_ALLOWED)),
    "tickets:watcher_add": (MUELLER_TICKET, everyone(NOT_ALLOWED)),
    "tickets:watcher_remove": (MUELLER_TICKET, everyone(NOT_ALLOWED)),
    # The satisfaction survey: answered by POST on the ticket page, or through the mail's signed
    # link without signing in (a link that is not signed is refused for everyone).
    "tickets:satisfaction": (MUELLER_TICKET, everyone(NOT_ALLOWED)),
    "tickets:satisfaction-link": ({"token": "not-a-signed-link"}, everyone(400)),
    # Personal API tokens (the API itself has its own matrix in tests/api/).
    "api_tokens:list": ({}, only(SIGNED_IN)),
    "api_tokens:revoke": ({"pk": 1}, everyone(NOT_ALLOWED)),
    # Unverified e-mail held for review (docs/mail-trust.md): agents only; the actions are POSTs.
    "held_mail:list": ({}, only(AGENTS)),
    "held_mail:accept": ({"pk": 1}, everyone(NOT_ALLOWED)),
    "held_mail:discard": ({"pk": 1}, everyone(NOT_ALLOWED)),
    # Everyone's own notification settings (which events mail them).
    "notification_settings:edit": ({}, only(SIGNED_IN)),
    # Notifications: the bell and the list for agents and managers; marking read is POST only.
    "notifications:list": ({}, only(AGENTS)),
    "notifications:bell": ({}, only(AGENTS)),
    "notifications:menu": ({}, only(AGENTS)),
    "notifications:mark_read": ({"pk": 1}, everyone(NOT_ALLOWED)),
    "notifications:mark_all_read": ({}, everyone(NOT_ALLOWED)),
    # The manager dashboard and the monthly reports (Müller's, demo customer number 10001).
    "dashboard:index": ({}, only(MANAGERS)),
    "dashboard:export": ({"table": "organisations"}, only(MANAGERS)),
    "dashboard:monthly": ({}, only(MANAGERS)),
    "dashboard:deflection": ({}, only(MANAGERS)),
    "dashboard:monthly_report": (MUELLER_REPORT, only(MANAGERS)),
    "dashboard:monthly_csv": (MUELLER_REPORT, only(MANAGERS)),
    # The audit trail of the SLA configuration: managers and admins only.
    "dashboard:sla_audit": ({}, only(MANAGERS)),
    "dashboard:sla_audit_csv": ({}, only(MANAGERS)),
    "tickets:attachment": (
        {**MUELLER_TICKET, "public_id": DEMO_ATTACHMENT_ID},
        only(MUELLER_TICKET_READERS, otherwise=NOT_FOUND),
    ),
    # The agent queue and workspace: customers get a 403 on every agent page (before any lookup,
    # so it tells nothing about the ticket); a reseller's agent gets a 404 for a ticket of a customer
    # its reseller does not support (Müller's). Actions are POST only.
    "tickets:queue": ({}, only(AGENTS)),
    # Absences: agents record their own (leads and managers their people's); no demo absence exists.
    "tickets:absences": ({}, only(AGENTS)),
    "tickets:absence_delete": ({"pk": 999999}, {**only(AGENTS), **dict.fromkeys(AGENTS, NOT_ALLOWED)}),
    "tickets:absence_reassign": ({"pk": 999999}, {**only(AGENTS), **dict.fromkeys(AGENTS, NOT_FOUND)}),
    "tickets:team_auto_assign": ({"pk": 999999}, {**only(AGENTS), **dict.fromkeys(AGENTS, NOT_ALLOWED)}),
    "tickets:queue_bulk": ({}, everyone(NOT_ALLOWED)),
    "tickets:view_save": ({}, everyone(NOT_ALLOWED)),
    "tickets:view_delete": ({"pk": 1}, everyone(NOT_ALLOWED)),
    "tickets:phone": ({}, only(AGENTS)),
    "tickets:markdown_preview": ({}, everyone(NOT_ALLOWED)),
    "tickets:tag_suggestions": ({}, only(AGENTS)),
    "tickets:workspace": (MUELLER_TICKET, {**only(AGENTS), "partner-agent": NOT_FOUND}),
    **{
        f"tickets:{name}": (MUELLER_TICKET, everyone(NOT_ALLOWED))
        for name in ("claim", "assign", "work_reply", "work_status", "work_workaround", "work_release",
                     "work_severity", "work_team", "work_effort", "work_presence", "work_merge", "work_split",
                     "work_tags", "work_macro", "work_follow")
    },
    "tickets:work_effort_delete": ({**MUELLER_TICKET, "pk": 1}, everyone(NOT_ALLOWED)),
    "tickets:work_effort_change": ({**MUELLER_TICKET, "pk": 1}, everyone(NOT_ALLOWED)),
    # Live chat: the portal page for customers (readers see it but cannot start), the public page for
    # visitors who are not signed in, the console for agents; a chat nobody may see is a 404 for
    # everyone (the demo has no chat); actions are POST only.
    "chat:portal": ({}, only(CUSTOMERS)),
    "chat:public": ({}, {**everyone(REDIRECT), "anonymous": OK}),
    "chat:console": ({}, only(AGENTS)),
    "chat:queue": ({}, only(AGENTS)),
    "chat:room": (NO_CHAT, everyone(NOT_FOUND)),
    "chat:messages": (NO_CHAT, everyone(NOT_FOUND)),
    "chat:start": ({}, everyone(NOT_ALLOWED)),
    "chat:availability": ({}, everyone(NOT_ALLOWED)),
    **{f"chat:{name}": (NO_CHAT, everyone(NOT_ALLOWED))
       for name in ("send", "read", "close", "transcript", "accept", "transfer", "ticket", "append")},
    # Data protection: administrators only; export and erasure are POST only.
    "privacy:index": ({}, only({"admin"})),
    "privacy:person": ({"pk": 1}, only({"admin"})),
    "privacy:export": ({"pk": 1}, everyone(NOT_ALLOWED)),
    "privacy:erase": ({"pk": 1}, everyone(NOT_ALLOWED)),
    # The knowledge base: the list for everyone (public articles without signing in); the demo
    # article is for signed-in customers and agents; suggestions for contacts filing; writing for agents.
    # Release notes: public once published (and their feeds); managers publish (POST only).
    "products:index": ({}, everyone()),
    "products:product": ({"slug": "kasse"}, everyone()),
    "products:feed": ({"slug": "kasse"}, everyone()),
    "products:publish": ({"slug": "kasse", "pk": 1}, everyone(NOT_ALLOWED)),
    "knowledge:index": ({}, everyone()),
    "knowledge:article": (KB_ARTICLE, only(SIGNED_IN)),
    "knowledge:image": ({**KB_ARTICLE, "public_id": DEMO_IMAGE_ID}, only(SIGNED_IN)),
    "knowledge:suggest": ({}, only(FILERS)),
    "knowledge:solved": ({}, everyone(NOT_ALLOWED)),
    "knowledge:manage": ({}, only(AGENTS)),
    "knowledge:create": ({}, only(AGENTS)),
    "knowledge:edit": (KB_ARTICLE, only(AGENTS)),
    "knowledge:history": (KB_ARTICLE, only(AGENTS)),
    "knowledge:publish": (KB_ARTICLE, everyone(NOT_ALLOWED)),
    "knowledge:archive": (KB_ARTICLE, everyone(NOT_ALLOWED)),
    "knowledge:image_upload": (KB_ARTICLE, everyone(NOT_ALLOWED)),
    "knowledge:from_ticket": (MUELLER_TICKET, everyone(NOT_ALLOWED)),
}


def project_route_names() -> set[str]:
    """Every named route outside the Django admin and the API (tested separately)."""
    names: set[str] = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in {"admin", "api"}:
                    continue
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    return names
