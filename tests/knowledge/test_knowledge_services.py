"""Writing, changing, publishing and archiving articles: revisions, refusals, images, from a ticket."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from knowledge import services
from knowledge.choices import ArticleStatus, Kind, Visibility
from knowledge.diffs import history_with_diffs, revision_diff
from knowledge.models import Article, ArticleRevision, ArticleTicketLink
from tests.factories import TicketFactory
from tests.knowledge.factories import NOW

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _create(actor, **overrides):
    fields = {"kind": Kind.HOWTO, "visibility": Visibility.CUSTOMERS, "title_de": "Kasse startet nicht",
              "body_de": "Taste F8 gedrückt halten.", **overrides}
    return services.article_create(actor=actor, now=NOW, **fields)


def _update(article, actor, **overrides):
    fields = {field: getattr(article, field) for field in ("kind", "visibility", "title_de", "body_de",
                                                           "title_en", "body_en")}
    fields.update(category=article.category, organisations=list(article.organisations.all()))
    fields.update(overrides)
    return services.article_update(article=article, actor=actor, now=NOW, **fields)


def test_an_agent_writes_a_draft_with_its_first_revision(world):
    agent = world["people"]["agent"]
    article = _create(agent)
    assert article.status == ArticleStatus.DRAFT
    assert article.slug == "kasse-startet-nicht"
    assert (article.created_by, article.updated_by) == (agent, agent)
    revision = article.revisions.get()
    assert (revision.number, revision.change, revision.body_de) == (1, "created", "Taste F8 gedrückt halten.")


def test_a_second_article_with_the_same_title_gets_its_own_address(world):
    agent = world["people"]["agent"]
    assert _create(agent).slug != _create(agent).slug


@pytest.mark.parametrize("role", ["mueller", "mueller-reader"])
def test_customers_may_not_write(world, role):
    with pytest.raises(PermissionDenied):
        _create(world["people"][role])
    assert not Article.objects.filter(title_de="Kasse startet nicht").exists()


@pytest.mark.parametrize(("overrides", "field"), [
    ({"title_de": "", "body_de": ""}, "title_de"),
    ({"title_de": "", "body_de": "Text ohne Titel", "title_en": "Title", "body_en": "Text"}, "title_de"),
    ({"kind": "novel"}, "kind"),
    ({"visibility": "everyone"}, "visibility"),
    ({"visibility": Visibility.ORGANISATIONS}, "organisations"),
])
def test_bad_input_is_refused_with_a_message_per_field(world, overrides, field):
    with pytest.raises(ValidationError) as refused:
        _create(world["people"]["agent"], **overrides)
    assert field in refused.value.message_dict


def test_an_agent_may_restrict_only_to_organisations_it_supports(world):
    partner_agent = world["people"]["partner-agent"]
    with pytest.raises(ValidationError) as refused:
        _create(partner_agent, visibility=Visibility.ORGANISATIONS, organisations=[world["orgs"]["mueller"]])
    assert "organisations" in refused.value.message_dict
    article = _create(partner_agent, visibility=Visibility.ORGANISATIONS, organisations=[world["orgs"]["bakery"]])
    assert list(article.organisations.all()) == [world["orgs"]["bakery"]]


def test_a_change_writes_a_revision_and_a_no_op_writes_nothing(world):
    agent, manager = world["people"]["agent"], world["people"]["manager"]
    article = _create(agent)
    article, changed = _update(article, manager, body_de="Taste F8 beim Einschalten gedrückt halten.")
    assert changed
    assert (article.updated_by, article.created_by) == (manager, agent)
    assert list(article.revisions.values_list("number", "change")) == [(2, "edited"), (1, "created")]
    article, changed = _update(article, manager)
    assert not changed
    assert article.revisions.count() == 2


def test_only_managers_publish_and_publishing_twice_changes_nothing(world):
    article = _create(world["people"]["agent"])
    with pytest.raises(PermissionDenied):
        services.article_publish(article=article, actor=world["people"]["agent"], now=NOW)
    article, changed = services.article_publish(article=article, actor=world["people"]["manager"], now=NOW)
    assert changed
    assert (article.status, article.published_by, article.published_at) == (
        ArticleStatus.PUBLISHED, world["people"]["manager"], NOW)
    _, changed = services.article_publish(article=article, actor=world["people"]["manager"], now=NOW)
    assert not changed
    assert list(article.revisions.values_list("change", flat=True)) == ["published", "created"]


def test_archiving_is_for_managers(world):
    article = world["articles"]["customers"]
    with pytest.raises(PermissionDenied):
        services.article_archive(article=article, actor=world["people"]["agent"], now=NOW)
    article, _ = services.article_archive(article=article, actor=world["people"]["manager"], now=NOW)
    assert article.status == ArticleStatus.ARCHIVED


def test_the_history_shows_what_changed_line_by_line(world):
    agent = world["people"]["agent"]
    article = _create(agent, body_de="Zeile eins\nZeile zwei")
    _update(article, agent, body_de="Zeile eins\nZeile 2")
    rows = history_with_diffs(list(ArticleRevision.objects.filter(article=article)))
    newest = rows[0]
    assert newest["revision"].number == 2
    (diff,) = newest["diffs"]
    kinds = [(line.kind, line.text) for line in diff.lines if line.kind != "hunk"]
    assert ("removed", "Zeile zwei") in kinds
    assert ("added", "Zeile 2") in kinds
    assert ("context", "Zeile eins") in kinds
    first = rows[1]["diffs"]
    assert {d.label for d in first} == {"Title (German)", "Text (German)"}


def test_a_revision_with_unchanged_texts_has_no_diff(world):
    article = world["articles"]["customers"]
    published, created = ArticleRevision.objects.filter(article=article).order_by("-number")[:2]
    assert revision_diff(created, published) == []


def test_an_image_is_added_and_a_pdf_or_a_program_refused(world):
    agent, article = world["people"]["agent"], world["articles"]["customers"]
    image = services.article_image_add(article=article, actor=agent, now=NOW,
                                       uploaded=SimpleUploadedFile("Größe.png", PNG, "image/png"))
    assert (image.original_name, image.content_type) == ("Größe.png", "image/png")
    with pytest.raises(ValidationError, match="not an image"):
        services.article_image_add(article=article, actor=agent, now=NOW,
                                   uploaded=SimpleUploadedFile("bericht.pdf", b"%PDF-1.4\n", "application/pdf"))
    with pytest.raises(ValidationError):
        services.article_image_add(article=article, actor=agent, now=NOW,
                                   uploaded=SimpleUploadedFile("bild.png", b"MZ\x90\x00", "image/png"))
    assert article.images.count() == 1


def test_a_draft_is_written_from_the_workaround_in_the_requesters_language(world):
    from tickets.models import Ticket

    ticket = TicketFactory(requester=world["people"]["acme"])
    Ticket.objects.filter(pk=ticket.pk).update(workaround="Restart the **spooler**.")
    ticket.refresh_from_db()
    article = services.article_from_ticket(ticket=ticket, actor=world["people"]["agent"], now=NOW)
    assert (article.kind, article.status, article.title_en, article.body_en, article.title_de) == (
        Kind.KNOWN_PROBLEM, ArticleStatus.DRAFT, ticket.subject, "Restart the **spooler**.", "")
    assert article.source_ticket == ticket
    assert ArticleTicketLink.objects.filter(article=article, ticket=ticket).exists()


def test_a_ticket_without_workaround_or_an_internal_note_makes_no_article(world):
    from tickets.models import Comment

    ticket = TicketFactory(requester=world["people"]["mueller"])
    agent = world["people"]["agent"]
    with pytest.raises(ValidationError, match="no workaround"):
        services.article_from_ticket(ticket=ticket, actor=agent, now=NOW)
    note = Comment.objects.create(ticket=ticket, author=agent, body="Interne Notiz", is_internal=True)
    with pytest.raises(ValidationError, match="public reply"):
        services.article_from_ticket(ticket=ticket, actor=agent, now=NOW, comment=note)
    reply = Comment.objects.create(ticket=ticket, author=agent, body="So geht es: neu starten.")
    article = services.article_from_ticket(ticket=ticket, actor=agent, now=NOW, comment=reply)
    assert (article.kind, article.body_de) == (Kind.HOWTO, "So geht es: neu starten.")


def test_a_resellers_agent_cannot_write_from_a_ticket_it_does_not_see(world):
    ticket = TicketFactory(requester=world["people"]["mueller"])
    with pytest.raises(PermissionDenied):
        services.article_from_ticket(ticket=ticket, actor=world["people"]["partner-agent"], now=NOW)
    with pytest.raises(PermissionDenied):
        services.article_link_ticket(article=world["articles"]["public"], ticket=ticket,
                                     actor=world["people"]["partner-agent"], now=NOW)


def test_linking_an_article_twice_links_it_once(world):
    ticket = TicketFactory(requester=world["people"]["mueller"])
    agent, article = world["people"]["agent"], world["articles"]["public"]
    assert services.article_link_ticket(article=article, ticket=ticket, actor=agent, now=NOW)
    assert not services.article_link_ticket(article=article, ticket=ticket, actor=agent, now=NOW)
