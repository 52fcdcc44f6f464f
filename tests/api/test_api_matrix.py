"""Every API endpoint, every role: the same access rules as the portal. A ticket of another
organisation is a 404 (it does not exist for the caller), a forbidden action a 403, no
credentials a 401."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from knowledge.demo import DEMO_ARTICLE_SLUG
from tests.api.conftest import ROLES
from tickets.demo import DEMO_ATTACHMENT_ID, first_demo_reference
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

ALL_ROLES = ["anonymous", *ROLES]
SIGNED_IN = set(ROLES)
MUELLER_READERS = {"customer", "reader", "agent", "manager", "admin"}
AGENTS = {"partner-agent", "agent", "manager", "admin"}
KB_ARTICLE = DEMO_ARTICLE_SLUG
KB_DRAFT = "kassenversion-50-was-sich-fur-den-support-andert"


def expect(ok: set[str], ok_status=200, otherwise=404, anonymous=401, **special) -> dict[str, int]:
    result = {role: ok_status if role in ok else otherwise for role in ROLES}
    result["anonymous"] = anonymous
    result.update({k.replace("_", "-"): v for k, v in special.items()})
    return result


def mueller() -> str:
    return f"/api/v1/tickets/{first_demo_reference()}/"


PDF = b"%PDF-1.4\n% Pruefbericht\n%%EOF\n"

# name: (method, path, body builder (orgs) -> (data, format), {role: status})
CASES = {
    "ticket list": ("get", "/api/v1/tickets/", None, expect(SIGNED_IN)),
    "ticket detail (Müller)": ("get", mueller(), None, expect(MUELLER_READERS)),
    "ticket by id (Müller)": (
        "get", lambda: f"/api/v1/tickets/{Ticket.objects.get(reference=first_demo_reference()).pk}/", None,
        expect(MUELLER_READERS),
    ),
    "comments (Müller)": ("get", f"{mueller()}comments/", None, expect(MUELLER_READERS)),
    "attachments (Müller)": ("get", f"{mueller()}attachments/", None, expect(MUELLER_READERS)),
    "attachment detail (Müller)": (
        "get", f"{mueller()}attachments/{DEMO_ATTACHMENT_ID}/", None, expect(MUELLER_READERS),
    ),
    "attachment download (Müller)": (
        "get", f"{mueller()}attachments/{DEMO_ATTACHMENT_ID}/download/", None, expect(MUELLER_READERS),
    ),
    "tags (Müller)": ("get", f"{mueller()}tags/", None,
                      expect({"agent", "manager", "admin"}, otherwise=404, customer=403, reader=403)),
    "tag suggestions": ("get", "/api/v1/tags/", None, expect(AGENTS, otherwise=403)),
    "macros (Müller)": ("get", f"{mueller()}macros/", None,
                        expect({"agent", "manager", "admin"}, otherwise=404, customer=403, reader=403)),
    "watchers (Müller)": ("get", f"{mueller()}watchers/", None, expect(MUELLER_READERS)),
    # Müller's first demo ticket is not resolved: no survey yet (tests/api/test_api_satisfaction.py
    # has the resolved case).
    "satisfaction (Müller, not asked)": ("get", f"{mueller()}satisfaction/", None, expect(set())),
    "answer satisfaction (Müller, not asked)": (
        "post", f"{mueller()}satisfaction/", lambda o: ({"rating": 5}, "json"), expect(MUELLER_READERS, ok_status=422),
    ),
    "own organisation": ("get", "/api/v1/organisation/", None, expect(SIGNED_IN)),
    "calendars": ("get", "/api/v1/calendars/", None, expect(SIGNED_IN)),
    "calendar (published)": ("get", "/api/v1/calendars/de-nrw-standard/", None, expect(SIGNED_IN)),
    "policies": ("get", "/api/v1/policies/", None, expect(SIGNED_IN)),
    "policy of Müller's contract": (
        "get", "/api/v1/policies/standard-de/", None,
        expect(MUELLER_READERS | {"partner-agent"}),  # Bäckerei, supported by the reseller, has it too
    ),
    "policy of Acme's contract": (
        "get", "/api/v1/policies/us-desk/", None, expect({"us-customer", "agent", "manager", "admin"}),
    ),
    "SLA preview": (
        "get", "/api/v1/sla/preview?calendar=de-nrw-standard&start=2026-12-23T15:30:00%2B01:00&target=6h", None,
        expect(SIGNED_IN),
    ),
    "schema": ("get", "/api/v1/schema/", None, expect(SIGNED_IN, anonymous=200)),
    "docs": ("get", "/api/v1/docs/", None, expect(SIGNED_IN, anonymous=200)),
    "device report with a person's credentials": (
        "post", "/api/v1/device-reports/", lambda o: ({"error_code": "E1"}, "json"), expect(set(), otherwise=401),
    ),
    "file a ticket for Müller": (
        "post", "/api/v1/tickets/",
        lambda o: ({"organisation": o["mueller"].pk, "subject": "Störung", "description": "Geht nicht.",
                    "category": "fault", "severity": "minor"}, "json"),
        # readers are refused; Acme's contact and the reseller's agent may not file for Müller
        expect({"customer", "agent", "manager", "admin"}, ok_status=201, otherwise=422, reader=403),
    ),
    "reply on Müller's ticket": (
        "post", f"{mueller()}comments/", lambda o: ({"body": "Danke für die schnelle Hilfe."}, "json"),
        expect({"customer", "agent", "manager", "admin"}, ok_status=201, reader=403),
    ),
    "internal note on Müller's ticket": (
        "post", f"{mueller()}comments/", lambda o: ({"body": "Intern: Treiber prüfen.", "is_internal": True}, "json"),
        expect({"agent", "manager", "admin"}, ok_status=201, customer=403, reader=403),
    ),
    "change severity of Müller's ticket": (
        "patch", mueller(), lambda o: ({"severity": "minor"}, "json"),
        expect({"agent", "manager", "admin"}, customer=403, reader=403),
    ),
    "upload to Müller's ticket": (
        "post", f"{mueller()}attachments/",
        lambda o: ({"file": SimpleUploadedFile("Prüfbericht.pdf", PDF, content_type="application/pdf")}, "multipart"),
        expect({"customer", "agent", "manager", "admin"}, ok_status=201, reader=403),
    ),
    # The knowledge base and the releases: what the portal shows; agents write, managers publish.
    "articles": ("get", "/api/v1/articles/", None, expect(SIGNED_IN)),
    "article for customers": ("get", f"/api/v1/articles/{KB_ARTICLE}/", None, expect(SIGNED_IN)),
    "article private to PartnerSoft's customers": (
        "get", "/api/v1/articles/backerei-kasse-bondrucker-neu-verbinden/", None, expect({"partner-agent"}),
    ),
    "draft article for agents": ("get", f"/api/v1/articles/{KB_DRAFT}/", None, expect(AGENTS)),
    "write an article": (
        "post", "/api/v1/articles/", lambda o: ({"title_de": "Neu", "body_de": "Text"}, "json"),
        expect(AGENTS, ok_status=201, otherwise=403),
    ),
    "change an article": (
        "patch", f"/api/v1/articles/{KB_DRAFT}/", lambda o: ({"body_de": "Geändert"}, "json"),
        expect(AGENTS, otherwise=403),
    ),
    "publish an article": (
        "post", f"/api/v1/articles/{KB_DRAFT}/publish/", None, expect({"manager", "admin"}, otherwise=403),
    ),
    "releases": ("get", "/api/v1/releases/", None, expect(SIGNED_IN)),
    "add a release": (
        "post", "/api/v1/releases/", lambda o: ({"product": "kasse", "version": "5.0", "notes_de": "Neu"}, "json"),
        expect({"manager"}, ok_status=201, otherwise=403, admin=422),  # the admin's is a second 5.0
    ),
    "absences": ("get", "/api/v1/absences/", None, expect(AGENTS, otherwise=403)),
    "record one's own absence": (
        "post", "/api/v1/absences/", lambda o: ({"starts_on": "2026-12-28", "ends_on": "2026-12-30"}, "json"),
        expect(AGENTS, ok_status=201, otherwise=403),
    ),
    "auto-assignment of de-1st-level": (
        "get", "/api/v1/teams/de-1st-level/auto-assignment/", None,
        expect({"agent", "manager", "admin"}, otherwise=403, partner_agent=404),
    ),
    "switch the auto-assignment of de-1st-level": (
        "patch", "/api/v1/teams/de-1st-level/auto-assignment/", lambda o: ({"auto_assign": True}, "json"),
        expect({"manager", "admin"}, otherwise=403, partner_agent=404),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_endpoint_answers_each_role_as_the_portal_would(api, orgs, case):
    """One case per endpoint; every role in turn (the demo data is seeded once per case)."""
    method, path, body, expected = CASES[case]
    path = path() if callable(path) else path
    outcomes = {}
    for role in ALL_ROLES:
        kwargs = {}
        if body is not None:
            data, fmt = body(orgs)
            kwargs = {"data": data, "format": fmt}
        response = getattr(api(role), method)(path, **kwargs)
        outcomes[role] = response.status_code
        if response.status_code >= 400:
            assert response["Content-Type"].startswith("application/json"), role
            assert response.json()["code"] and response.json()["detail"], role
    assert outcomes == expected


def test_reseller_customers_ticket_is_visible_to_the_reseller_only(api, file_ticket):
    ticket = file_ticket("partner-customer")
    expected = {"partner-agent": 200, "agent": 404, "manager": 404, "admin": 404, "customer": 404,
                "us-customer": 404}
    for role, status in expected.items():
        response = api(role).get(f"/api/v1/tickets/{ticket.reference}/")
        assert response.status_code == status, role


def test_foreign_ticket_is_not_found_for_every_write(api, file_ticket):
    """Acme's contact cannot tell whether Müller's ticket exists: every method answers 404."""
    ticket = file_ticket("customer")
    client = api("us-customer")
    base = f"/api/v1/tickets/{ticket.reference}/"
    answers = [
        client.get(base),
        client.patch(base, {"status": "closed"}, format="json"),
        client.post(f"{base}comments/", {"body": "Hallo"}, format="json"),
        client.get(f"{base}comments/"),
        client.post(f"{base}attachments/", {"file": SimpleUploadedFile("a.txt", b"Hallo")}, format="multipart"),
    ]
    assert [a.status_code for a in answers] == [404] * len(answers)
    assert Ticket.objects.get(pk=ticket.pk).status == "new"
    assert not ticket.comments.exists()


def test_foreign_ticket_list_is_empty_not_leaking(api, file_ticket):
    mine = file_ticket("customer")
    response = api("us-customer").get("/api/v1/tickets/", {"reference": mine.reference})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_internal_notes_and_attachments_stay_with_agents(api, users, file_ticket):
    from django.core.files.uploadedfile import SimpleUploadedFile as Upload

    from tickets.services import attachment_add, comment_add

    ticket = file_ticket("customer")
    note = comment_add(ticket=ticket, author=users["agent"], body="Intern: Kunde ruft oft an.",
                       is_internal=True).comment
    attachment_add(ticket=ticket, actor=users["agent"], file=Upload("intern.txt", b"geheim"), comment=note)
    base = f"/api/v1/tickets/{ticket.reference}/"
    customer_comments = api("customer").get(f"{base}comments/").json()
    agent_comments = api("agent").get(f"{base}comments/").json()
    assert [c["is_internal"] for c in customer_comments] == []
    assert [c["is_internal"] for c in agent_comments] == [True]
    assert api("customer").get(f"{base}attachments/").json() == []
    assert len(api("agent").get(f"{base}attachments/").json()) == 1
    public_id = api("agent").get(f"{base}attachments/").json()[0]["id"]
    assert api("customer").get(f"{base}attachments/{public_id}/download/").status_code == 404
    assert api("agent").get(f"{base}attachments/{public_id}/download/").status_code == 200
