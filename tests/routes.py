"""The route table: every named route, and what each role gets when it asks for it.

Every route of the project must appear here (a test enforces it), so a new page cannot ship
without its access rules being tested for every role."""

from django.urls import URLPattern, URLResolver, get_resolver

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


def only(allowed: set[str], otherwise=FORBIDDEN, anonymous=LOGIN) -> dict[str, object]:
    return {role: anonymous if role == "anonymous" else (OK if role in allowed else otherwise) for role in ROLES}


def everyone(status=OK) -> dict[str, object]:
    return dict.fromkeys(ROLES, status)


# name: (kwargs, {role: expected GET outcome})
ROUTES: dict[str, tuple[dict, dict[str, object]]] = {
    "home": ({}, only(SIGNED_IN)),
    "healthz": ({}, everyone()),
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
    "tickets:attachment": (
        {**MUELLER_TICKET, "public_id": DEMO_ATTACHMENT_ID},
        only(MUELLER_TICKET_READERS, otherwise=NOT_FOUND),
    ),
}


def project_route_names() -> set[str]:
    """Every named route outside the Django admin and the API (tested separately)."""
    names: set[str] = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in {"admin"}:
                    continue
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    return names
