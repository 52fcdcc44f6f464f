"""Releases: managers create and publish them; publishing tells each waiting requester once, in
their language, through the outbox; the pages and the Atom feed show published releases."""

from datetime import UTC, datetime

import factory
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role
from notifications.models import OutboxMail
from notifications.tasks import outbox_deliver
from products import services
from products.models import Product, Release
from tests.factories import AgentFactory, ContactFactory, TicketFactory, UserFactory
from tickets.models import EventCode, TicketEvent
from tickets.services import ticket_set_fix_release, tickets_fix_released

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    slug = factory.Sequence(lambda n: f"kassensystem-{n}")
    name = factory.Sequence(lambda n: f"Kassensystem Größe {n}")


@pytest.fixture
def people(db):
    agent = AgentFactory()
    return {
        "agent": agent,
        "manager": UserFactory(role=Role.MANAGER, organisation=agent.organisation),
        "german": ContactFactory(language="de"),
        "english": ContactFactory(language="en"),
    }


@pytest.fixture
def product(db):
    return ProductFactory()


def _release(people, product, version="4.9", **kwargs):
    fields = {"notes_de": "Behoben: Kasse startet nicht.", "notes_en": "Fixed: register does not start.", **kwargs}
    return services.release_create(actor=people["manager"], now=NOW, product=product, version=version, **fields)


def test_only_managers_create_and_publish(people, product):
    with pytest.raises(PermissionDenied):
        services.release_create(actor=people["agent"], now=NOW, product=product, version="1.0", notes_de="x")
    release = _release(people, product)
    with pytest.raises(PermissionDenied):
        services.release_publish(release=release, actor=people["agent"], now=NOW)
    assert Release.objects.get().published_at is None


@pytest.mark.parametrize(("version", "notes", "field"), [
    ("", "Text", "version"), ("4.9", "", "notes_de"), ("4.8", "Text", "version"),
])
def test_bad_releases_are_refused(people, product, version, notes, field):
    _release(people, product, version="4.8")
    with pytest.raises(ValidationError) as refused:
        services.release_create(actor=people["manager"], now=NOW, product=product, version=version, notes_de=notes)
    assert field in refused.value.message_dict


def test_publishing_tells_each_waiting_requester_once_in_their_language(people, product):
    release = _release(people, product)
    waiting = [TicketFactory(requester=people["german"]), TicketFactory(requester=people["english"])]
    other = TicketFactory(requester=people["german"])
    for ticket in waiting:
        ticket_set_fix_release(ticket=ticket, actor=people["agent"], release="", product_release=release)
    mail.outbox.clear()
    OutboxMail.objects.all().delete()
    release, published = services.release_publish(release=release, actor=people["manager"], now=NOW)
    assert published and release.published_at == NOW
    rows = OutboxMail.objects.filter(kind="ticket_fix_released")
    assert sorted(rows.values_list("recipient_id", flat=True)) == sorted([people["german"].pk, people["english"].pk])
    assert not TicketEvent.objects.filter(ticket=other, code=EventCode.FIX_RELEASED).exists()
    _, again = services.release_publish(release=release, actor=people["manager"], now=NOW)
    assert not again
    assert tickets_fix_released(release=release, now=NOW) == 0  # a repeat tells nobody again
    assert rows.count() == 2
    outbox_deliver()
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert "Die dauerhafte Lösung ist da" in subjects[people["german"].email]
    assert "The permanent fix is out" in subjects[people["english"].email]
    assert str(release) in subjects[people["english"].email]


def test_the_ticket_shows_the_release_and_its_publication(client, people, product):
    release = _release(people, product)
    ticket = TicketFactory(requester=people["english"])
    ticket = ticket_set_fix_release(ticket=ticket, actor=people["agent"], release="", product_release=release)
    assert ticket.fixed_in_release == str(release)
    client.force_login(people["english"])
    url = reverse("tickets:detail", kwargs={"reference": ticket.reference})
    assert "we will tell you when it is" in client.get(url).content.decode()
    services.release_publish(release=release, actor=people["manager"], now=NOW)
    content = client.get(url).content.decode()
    assert "Published on" in content
    assert "has been published" in content  # the history entry


def test_the_workspace_links_a_product_release(client, people, product):
    release = _release(people, product)
    ticket = TicketFactory(requester=people["german"])
    client.force_login(people["agent"])
    client.post(reverse("tickets:work_release", kwargs={"reference": ticket.reference}),
                {"product_release": release.pk, "release": ""})
    ticket.refresh_from_db()
    assert (ticket.fixed_release, ticket.fixed_in_release) == (release, str(release))
    client.post(reverse("tickets:work_release", kwargs={"reference": ticket.reference}),
                {"product_release": "", "release": ""})
    ticket.refresh_from_db()
    assert (ticket.fixed_release, ticket.fixed_in_release) == (None, "")


def test_pages_and_feed_show_published_releases_only(client, people, product):
    published = _release(people, product, version="4.8", is_security=True)
    services.release_publish(release=published, actor=people["manager"], now=NOW)
    _release(people, product, version="4.9")
    page = client.get(reverse("products:product", kwargs={"slug": product.slug})).content.decode()
    assert "4.8" in page and "4.9" not in page
    assert 'data-testid="security-release"' in page
    feed = client.get(reverse("products:feed", kwargs={"slug": product.slug}))
    assert feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert "4.8" in body and "4.9" not in body
    client.force_login(people["agent"])
    assert 'data-testid="release-unpublished"' in client.get(
        reverse("products:product", kwargs={"slug": product.slug})).content.decode()
    assert client.get(reverse("products:feed", kwargs={"slug": "nichts"})).status_code == 404


def test_a_manager_adds_and_publishes_a_release_on_the_page(client, people, product):
    url = reverse("products:product", kwargs={"slug": product.slug})
    client.force_login(people["agent"])
    assert client.post(url, {"version": "5.0", "notes_de": "Neu"}).status_code == 403
    client.force_login(people["manager"])
    response = client.post(url, {"version": "", "notes_de": "Neu und schön"})
    assert response.status_code == 200
    assert "Neu und schön" in response.content.decode()  # nothing typed is lost
    client.post(url, {"version": "5.0", "notes_de": "Neu"})
    release = Release.objects.get(version="5.0")
    publish = reverse("products:publish", kwargs={"slug": product.slug, "pk": release.pk})
    client.force_login(people["agent"])
    assert client.post(publish).status_code == 403
    client.force_login(people["manager"])
    client.post(publish)
    release.refresh_from_db()
    assert release.published_at is not None
