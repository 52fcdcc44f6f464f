"""The dashboard's deflection figures: per month and per article and month, only the organisations
the manager sees, on a fixed clock."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import access
from knowledge import services
from knowledge.deflection import deflection_by_article, deflection_by_month
from tests.factories import TicketFactory

pytestmark = pytest.mark.django_db
OCTOBER = datetime(2026, 10, 20, 9, 0, tzinfo=UTC)
NOVEMBER = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
SINCE = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def figures(world):
    people, articles = world["people"], world["articles"]
    public, customers = articles["public"], articles["customers"]
    # October: Müller solved one with the public article; November: two shown, one filed anyway.
    services.filing_session_shown(token="t1", user=people["mueller"], now=OCTOBER, articles=[public, customers])
    services.filing_session_solved(token="t1", user=people["mueller"], now=OCTOBER, article=public)
    services.filing_session_shown(token="t2", user=people["mueller"], now=NOVEMBER, articles=[customers])
    services.filing_session_filed(token="t2", user=people["mueller"], now=NOVEMBER,
                                  ticket=TicketFactory(requester=people["mueller"]))
    services.filing_session_shown(token="t3", user=people["acme"], now=NOVEMBER, articles=[public])
    services.filing_session_solved(token="t3", user=people["acme"], now=NOVEMBER, article=public)
    # A reseller's customer: not the vendor's managers' business.
    services.filing_session_shown(token="t4", user=people["bakery"], now=NOVEMBER, articles=[public])
    services.filing_session_solved(token="t4", user=people["bakery"], now=NOVEMBER, article=public)
    return world


def test_figures_per_month(figures):
    organisations = access.organisations_for(figures["people"]["manager"])
    with timezone.override("UTC"):
        rows = deflection_by_month(organisations=organisations, since=SINCE)
    assert [(row.month.month, row.sessions, row.shown, row.solved, row.filed) for row in rows] == [
        (11, 2, 2, 1, 1),
        (10, 1, 2, 1, 0),
    ]
    assert rows[0].solved_percent == 50


def test_figures_per_article_and_month(figures):
    organisations = access.organisations_for(figures["people"]["manager"])
    public, customers = figures["articles"]["public"], figures["articles"]["customers"]
    with timezone.override("UTC"):
        rows = deflection_by_article(organisations=organisations, since=SINCE, language="de")
    assert [(row.month.month, row.article, row.shown, row.solved) for row in rows] == [
        (11, public, 1, 1), (11, customers, 1, 0), (10, public, 1, 1), (10, customers, 1, 0),
    ]
    assert rows[0].title == public.title_de


def test_nothing_before_the_first_month_counts(figures):
    organisations = access.organisations_for(figures["people"]["manager"])
    rows = deflection_by_month(organisations=organisations, since=datetime(2026, 11, 1, tzinfo=UTC))
    assert [row.month.month for row in rows] == [11]


def test_the_resellers_manager_sees_its_customers_only(figures):
    from accounts.models import Role
    from tests.factories import UserFactory

    partner_manager = UserFactory(role=Role.MANAGER, organisation=figures["orgs"]["reseller"])
    rows = deflection_by_month(organisations=access.organisations_for(partner_manager), since=SINCE)
    assert [(row.sessions, row.solved) for row in rows] == [(1, 1)]


def test_the_page_is_for_managers(client, figures, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOVEMBER)
    client.force_login(figures["people"]["agent"])
    assert client.get(reverse("dashboard:deflection")).status_code == 403
    client.force_login(figures["people"]["manager"])
    response = client.get(reverse("dashboard:deflection"))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('data-testid="deflection-month"') == 2
    assert figures["articles"]["public"].title_en in content  # the manager reads English
    assert 'data-testid="deflection-link"' in client.get(reverse("dashboard:index")).content.decode()
