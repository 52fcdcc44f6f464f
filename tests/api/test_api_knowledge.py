"""Articles and releases through the API: visibility, search, refusals (400 schema, 422 rules),
and publishing a release that tells the waiting requester."""

import pytest
from rest_framework.test import APIClient

from knowledge.models import Article
from notifications.models import OutboxMail
from products.models import Product, Release
from tests.knowledge.factories import ArticleFactory, knowledge_world
from tickets.services import ticket_set_fix_release

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return knowledge_world()


@pytest.fixture
def api_as():
    def client_for(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return client_for


def test_customers_read_published_articles_they_may_see_and_search_them(api_as, world):
    response = api_as(world["people"]["acme"]).get("/api/v1/articles/")
    slugs = {row["slug"] for row in response.json()}
    assert slugs == {world["articles"][name].slug for name in ("public", "customers")}
    found = api_as(world["people"]["mueller"]).get("/api/v1/articles/", {"q": "Müller"}).json()
    assert [row["slug"] for row in found] == [world["articles"]["mueller-only"].slug]
    assert api_as(world["people"]["acme"]).get("/api/v1/articles/", {"q": "Müller"}).json() == []


def test_a_restricted_article_is_a_404_for_other_organisations(api_as, world):
    slug = world["articles"]["reseller-private"].slug
    for role, status in (("acme", 404), ("agent", 404), ("bakery", 200), ("partner-agent", 200)):
        assert api_as(world["people"][role]).get(f"/api/v1/articles/{slug}/").status_code == status, role


def test_an_agent_writes_and_a_manager_publishes(api_as, world):
    response = api_as(world["people"]["agent"]).post("/api/v1/articles/", {
        "kind": "faq", "visibility": "organisations", "organisations": [world["orgs"]["mueller"].pk],
        "title_en": "Where is my invoice?", "body_en": "Under *Documents*.",
    }, format="json")
    assert response.status_code == 201, response.json()
    slug = response.json()["slug"]
    assert response["Location"].endswith(f"/api/v1/articles/{slug}/")
    article = Article.objects.get(slug=slug)
    assert list(article.organisations.all()) == [world["orgs"]["mueller"]]
    changed = api_as(world["people"]["agent"]).patch(f"/api/v1/articles/{slug}/", {"title_de": "Wo ist meine Rechnung?",
                                                                                 "body_de": "Unter *Dokumente*."},
                                                  format="json")
    assert changed.json()["title_de"] == "Wo ist meine Rechnung?"
    assert changed.json()["title_en"] == "Where is my invoice?"  # the rest stays
    assert api_as(world["people"]["mueller"]).get(f"/api/v1/articles/{slug}/").status_code == 404  # a draft
    assert api_as(world["people"]["manager"]).post(f"/api/v1/articles/{slug}/publish/").json()["status"] == "published"
    assert api_as(world["people"]["mueller"]).get(f"/api/v1/articles/{slug}/").status_code == 200


@pytest.mark.parametrize(("body", "field"), [
    ({"title_de": "Titel", "body_de": "Text", "category": "gibt-es-nicht"}, "category"),
    ({"title_de": "Titel", "body_de": "Text", "visibility": "organisations", "organisations": [999999]},
     "organisations"),
    ({"title_de": "", "body_de": ""}, "title_de"),
])
def test_a_rule_refusal_is_a_422_naming_the_field(api_as, world, body, field):
    response = api_as(world["people"]["agent"]).post("/api/v1/articles/", body, format="json")
    assert response.status_code == 422
    assert field in response.json()["fields"]


def test_schema_errors_are_400s(api_as, world):
    client = api_as(world["people"]["agent"])
    assert client.post("/api/v1/articles/", {"titel": "x"}, format="json").status_code == 400
    assert client.post("/api/v1/articles/", {"kind": 3}, format="json").status_code == 400
    slug = world["articles"]["draft"].slug
    assert client.patch(f"/api/v1/articles/{slug}/", {}, format="json").status_code == 400


def test_a_release_published_through_the_api_tells_the_waiting_requester(api_as, world):
    from tests.factories import TicketFactory

    Product.objects.create(slug="kasse", name="Kassensystem")
    manager = world["people"]["manager"]
    created = api_as(manager).post("/api/v1/releases/", {"product": "kasse", "version": "4.9", "is_security": True,
                                                      "notes_de": "Behoben.", "notes_en": "Fixed."}, format="json")
    assert created.status_code == 201, created.json()
    release = Release.objects.get(pk=created.json()["id"])
    assert api_as(world["people"]["acme"]).get(f"/api/v1/releases/{release.pk}/").status_code == 404  # not published
    ticket = TicketFactory(requester=world["people"]["acme"])
    ticket_set_fix_release(ticket=ticket, actor=world["people"]["agent"], release="", product_release=release)
    assert api_as(world["people"]["agent"]).post(f"/api/v1/releases/{release.pk}/publish/").status_code == 403
    published = api_as(manager).post(f"/api/v1/releases/{release.pk}/publish/")
    assert published.json()["published_at"]
    assert OutboxMail.objects.filter(kind="ticket_fix_released", recipient=world["people"]["acme"]).count() == 1
    assert api_as(world["people"]["acme"]).get("/api/v1/releases/").json()[0]["version"] == "4.9"
    unknown = api_as(manager).post("/api/v1/releases/", {"product": "nichts", "version": "1"}, format="json")
    assert unknown.status_code == 422


def test_the_article_factory_is_used_for_search_in_the_api(api_as, world):
    ArticleFactory(author=world["people"]["agent"], title_de="Kasse startet nicht", body_de="F8 halten.")
    found = api_as(world["people"]["mueller"]).get("/api/v1/articles/", {"q": "Kasse startet"}).json()
    assert found[0]["title_de"] == "Kasse startet nicht"
