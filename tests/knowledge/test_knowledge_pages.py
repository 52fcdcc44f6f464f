"""The pages: reading with the language fallback, writing and publishing, the history, images in
texts, and the articles on a ticket's pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from knowledge.choices import ArticleStatus
from knowledge.markdown import render_article
from knowledge.models import Article, ArticleImage
from tests.factories import TicketFactory
from tests.knowledge.factories import ArticleFactory

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _form(**overrides):
    return {"kind": "howto", "visibility": "customers", "category": "", "title_de": "Kasse startet nicht",
            "body_de": "Taste F8 halten.", "title_en": "", "body_en": "", **overrides}


def test_a_german_article_read_in_english_says_so(client, world):
    article = ArticleFactory(author=world["people"]["agent"], title_en="", body_en="", title_de="Nur Deutsch",
                             body_de="Ein **deutscher** Text.")
    client.force_login(world["people"]["acme"])
    content = client.get(reverse("knowledge:article", kwargs={"slug": article.slug})).content.decode()
    assert 'data-testid="article-fallback"' in content
    assert "<strong>deutscher</strong>" in content
    assert 'lang="de"' in content


def test_the_readers_language_is_shown_without_a_note(client, world):
    article = world["articles"]["customers"]
    client.force_login(world["people"]["mueller"])
    client.cookies["django_language"] = "de"
    content = client.get(reverse("knowledge:article", kwargs={"slug": article.slug})).content.decode()
    assert article.title_de in content
    assert 'data-testid="article-fallback"' not in content


def test_the_search_page_lists_hits(client, world):
    client.force_login(world["people"]["mueller"])
    response = client.get(reverse("knowledge:index"), {"q": "Kunden"})
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="kb-result"') == 1
    assert 'data-testid="kb-no-results"' in client.get(reverse("knowledge:index"), {"q": "Zeppelin"}).content.decode()


def test_an_agent_writes_an_article_through_the_page(client, world):
    client.force_login(world["people"]["agent"])
    response = client.post(reverse("knowledge:create"), _form())
    article = Article.objects.get(title_de="Kasse startet nicht")
    assert response["Location"] == reverse("knowledge:edit", kwargs={"slug": article.slug})
    assert article.status == ArticleStatus.DRAFT


def test_a_refused_article_keeps_what_was_typed(client, world):
    client.force_login(world["people"]["agent"])
    response = client.post(reverse("knowledge:create"), _form(visibility="organisations", body_en="Only text"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Choose at least one organisation" in content
    assert "A text needs a title in the same language." in content
    assert "Taste F8 halten." in content


def test_editing_saves_and_a_no_op_says_so(client, world):
    article = world["articles"]["customers"]
    client.force_login(world["people"]["agent"])
    url = reverse("knowledge:edit", kwargs={"slug": article.slug})
    fields = _form(title_de=article.title_de, body_de="Neuer Text", title_en=article.title_en,
                   body_en=article.body_en)
    client.post(url, fields)
    article.refresh_from_db()
    assert article.body_de == "Neuer Text"
    response = client.post(url, fields, follow=True)
    assert "Nothing was changed." in response.content.decode()
    history = client.get(reverse("knowledge:history", kwargs={"slug": article.slug})).content.decode()
    assert history.count('data-testid="revision"') == 3
    assert "Neuer Text" in history


def test_agents_may_not_publish_managers_may(client, world):
    draft = world["articles"]["draft"]
    url = reverse("knowledge:publish", kwargs={"slug": draft.slug})
    client.force_login(world["people"]["agent"])
    assert client.post(url).status_code == 403
    client.force_login(world["people"]["manager"])
    assert client.post(url).status_code == 302
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.PUBLISHED
    client.post(reverse("knowledge:archive", kwargs={"slug": draft.slug}))
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.ARCHIVED


def test_customers_may_not_open_the_editor(client, world):
    client.force_login(world["people"]["mueller"])
    slug = world["articles"]["customers"].slug
    assert client.get(reverse("knowledge:edit", kwargs={"slug": slug})).status_code == 403
    assert client.post(reverse("knowledge:create"), _form()).status_code == 403


def test_an_uploaded_image_is_served_to_readers_only(client, world):
    article = world["articles"]["mueller-only"]
    client.force_login(world["people"]["agent"])
    client.post(reverse("knowledge:image_upload", kwargs={"slug": article.slug}),
                {"image": SimpleUploadedFile("Größe.png", PNG, "image/png")})
    image = ArticleImage.objects.get(article=article)
    url = reverse("knowledge:image", kwargs={"slug": article.slug, "public_id": image.public_id})
    client.force_login(world["people"]["mueller"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    client.force_login(world["people"]["acme"])
    assert client.get(url).status_code == 404


def test_a_refused_upload_says_why(client, world):
    article = world["articles"]["customers"]
    client.force_login(world["people"]["agent"])
    response = client.post(reverse("knowledge:image_upload", kwargs={"slug": article.slug}),
                           {"image": SimpleUploadedFile("bericht.pdf", b"%PDF-1.4\n", "application/pdf")}, follow=True)
    assert "is not an image" in response.content.decode()
    response = client.post(reverse("knowledge:image_upload", kwargs={"slug": article.slug}), follow=True)
    assert "Choose an image to upload." in response.content.decode()


def test_texts_show_our_images_but_never_remote_ones_or_scripts():
    own = reverse("knowledge:image", kwargs={"slug": "kasse", "public_id": "0b9a4a4e-2f6b-4a8e-9a37-3b4c3b7a2f10"})
    html = render_article(f"![Start]({own})\n\n![Tracker](https://evil.example/x.png)\n\n<script>alert(1)</script>")
    assert f'<img alt="Start" src="{own}">' in html
    assert "evil.example" not in html
    assert "<script>" not in html


def test_the_workspace_turns_the_workaround_into_a_draft(client, world):
    from tickets.models import Ticket

    ticket = TicketFactory(requester=world["people"]["mueller"])
    client.force_login(world["people"]["agent"])
    workspace = reverse("tickets:workspace", kwargs={"reference": ticket.reference})
    assert 'data-testid="article-from-workaround"' in client.get(workspace).content.decode()
    url = reverse("knowledge:from_ticket", kwargs={"reference": ticket.reference})
    response = client.post(url, follow=True)
    assert "no workaround yet" in response.content.decode()
    Ticket.objects.filter(pk=ticket.pk).update(workaround="Spooler neu starten.")
    response = client.post(url)
    article = Article.objects.get(source_ticket=ticket)
    assert response["Location"] == reverse("knowledge:edit", kwargs={"slug": article.slug})
    assert 'data-testid="linked-article"' in client.get(workspace).content.decode()


def test_a_reply_from_another_ticket_is_refused(client, world):
    from tickets.models import Comment

    ticket, other = TicketFactory(requester=world["people"]["mueller"]), TicketFactory(
        requester=world["people"]["mueller"])
    reply = Comment.objects.create(ticket=other, author=world["people"]["agent"], body="Antwort")
    client.force_login(world["people"]["agent"])
    response = client.post(reverse("knowledge:from_ticket", kwargs={"reference": ticket.reference}),
                           {"comment": reply.pk}, follow=True)
    assert "This reply is not part of the ticket." in response.content.decode()
    assert not Article.objects.filter(source_ticket=ticket).exists()


def test_the_customer_sees_linked_articles_once_published(client, world):
    from knowledge import services
    from tests.knowledge.factories import NOW

    ticket = TicketFactory(requester=world["people"]["mueller"])
    draft, published = world["articles"]["draft"], world["articles"]["customers"]
    for article in (draft, published):
        services.article_link_ticket(article=article, ticket=ticket, actor=world["people"]["agent"], now=NOW)
    client.force_login(world["people"]["mueller"])
    content = client.get(reverse("tickets:detail", kwargs={"reference": ticket.reference})).content.decode()
    assert content.count('data-testid="linked-article"') == 1
    assert published.slug in content and draft.slug not in content
    assert 'data-testid="article-from-workaround"' not in content


def test_a_ticket_without_articles_shows_customers_nothing(client, world):
    ticket = TicketFactory(requester=world["people"]["mueller"])
    client.force_login(world["people"]["mueller"])
    content = client.get(reverse("tickets:detail", kwargs={"reference": ticket.reference})).content.decode()
    assert 'data-testid="linked-articles"' not in content


def test_the_agents_list_filters_by_status(client, world):
    client.force_login(world["people"]["agent"])
    content = client.get(reverse("knowledge:manage"), {"status": "draft"}).content.decode()
    assert content.count('data-testid="article-row"') == 1
    assert client.get(reverse("knowledge:manage")).content.decode().count('data-testid="article-row"') == 6
