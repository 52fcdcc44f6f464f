"""Who sees which article: every role, on the gate, the pages, the search and the suggestions."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from knowledge import selectors
from knowledge.search import articles_search

pytestmark = pytest.mark.django_db

EXPECTED = {
    # reader: articles it sees (any status for agents; the reading pages show published ones only)
    "anonymous": {"public"},
    "mueller": {"public", "customers", "mueller-only"},
    "mueller-reader": {"public", "customers", "mueller-only"},
    "acme": {"public", "customers"},
    "bakery": {"public", "customers", "reseller-private"},
    "agent": {"public", "customers", "agents", "mueller-only", "draft", "archived"},
    "manager": {"public", "customers", "agents", "mueller-only", "draft", "archived"},
    "partner-agent": {"public", "customers", "agents", "reseller-private", "draft", "archived"},
}


def _user(world, role):
    return AnonymousUser() if role == "anonymous" else world["people"][role]


def _names(world, articles):
    by_pk = {article.pk: name for name, article in world["articles"].items()}
    return {by_pk[article.pk] for article in articles}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_sees_exactly_its_articles(world, role):
    assert _names(world, selectors.articles_visible_to(user=_user(world, role))) == EXPECTED[role]


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_reading_pages_offer_published_articles_only(world, role):
    readable = _names(world, selectors.articles_readable_by(user=_user(world, role)))
    assert readable == EXPECTED[role] - {"draft", "archived", "agents"} | ({"agents"} & EXPECTED[role])


@pytest.mark.parametrize("role", ["anonymous", "mueller", "acme", "agent", "manager"])
def test_a_resellers_private_article_is_never_seen_by_another_organisation(client, world, role):
    private = world["articles"]["reseller-private"]
    user = _user(world, role)
    if role != "anonymous":
        client.force_login(user)
    assert not selectors.articles_visible_to(user=user).filter(pk=private.pk).exists()
    hits = articles_search(articles=selectors.articles_readable_by(user=user), text="Partner", language="de")
    assert private not in [hit.article for hit in hits]
    response = client.get(reverse("knowledge:article", kwargs={"slug": private.slug}))
    assert response.status_code == (302 if role == "anonymous" else 404)


def test_the_resellers_customer_reads_the_private_article(client, world):
    client.force_login(world["people"]["bakery"])
    private = world["articles"]["reseller-private"]
    response = client.get(reverse("knowledge:article", kwargs={"slug": private.slug}))
    assert response.status_code == 200
    assert "Nur für Kunden der Partner" in response.content.decode()


def test_a_customer_gets_a_404_for_a_draft_and_an_agent_sees_it_marked(client, world):
    draft = world["articles"]["draft"]
    url = reverse("knowledge:article", kwargs={"slug": draft.slug})
    client.force_login(world["people"]["mueller"])
    assert client.get(url).status_code == 404
    client.force_login(world["people"]["agent"])
    response = client.get(url)
    assert response.status_code == 200
    assert 'data-testid="article-status"' in response.content.decode()


def test_anonymous_readers_are_sent_to_sign_in_for_customer_articles(client, world):
    response = client.get(reverse("knowledge:article", kwargs={"slug": world["articles"]["customers"].slug}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_list_shows_only_what_the_reader_may_read(client, world):
    client.force_login(world["people"]["acme"])
    content = client.get(reverse("knowledge:index")).content.decode()
    assert "Für Kunden" not in content  # acme reads English: the English titles are shown
    titles = {world["articles"][name].title_en for name in ("public", "customers")}
    for title in titles:
        assert title in content
    for name in ("agents", "mueller-only", "reseller-private", "draft", "archived"):
        assert world["articles"][name].title_en not in content
