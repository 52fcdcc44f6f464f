"""Answers while filing: suggestions recorded as shown, "this solved my problem" counted once and
without a ticket, filing anyway keeps what was shown."""

import pytest
from django.urls import reverse

from knowledge.choices import FilingOutcome
from knowledge.models import FilingSession, SuggestionShown
from tests.knowledge.factories import ArticleFactory
from tickets.models import Ticket

pytestmark = pytest.mark.django_db
TOKEN = "a" * 32


@pytest.fixture
def till(world):
    return ArticleFactory(
        author=world["people"]["agent"], visibility="customers",
        title_de="Kasse startet nicht nach dem Update", body_de="Die Kasse startet nicht. Taste F8 halten.",
        title_en="Cash register does not start after the update", body_en="Hold F8 while switching it on.",
    )


def _suggest(client, text, token=TOKEN):
    return client.get(reverse("knowledge:suggest"), {"subject": text, "description": "", "idempotency_key": token})


def test_the_filing_form_has_the_suggestion_panel(client, world):
    client.force_login(world["people"]["mueller"])
    content = client.get(reverse("tickets:create")).content.decode()
    assert 'data-testid="kb-suggestions"' in content
    assert reverse("knowledge:suggest") in content


def test_suggestions_are_shown_and_recorded_once(client, world, till):
    client.force_login(world["people"]["mueller"])
    response = _suggest(client, "Kasse startet nicht")
    assert response.status_code == 200
    assert "Kasse startet nicht nach dem Update" in response.content.decode()
    _suggest(client, "Kasse startet nicht")
    session = FilingSession.objects.get(token=TOKEN)
    assert (session.user, session.outcome) == (world["people"]["mueller"], FilingOutcome.OPEN)
    assert list(SuggestionShown.objects.filter(session=session).values_list("article", flat=True)) == [till.pk]


def test_a_short_text_asks_for_nothing(client, world, till):
    client.force_login(world["people"]["mueller"])
    response = _suggest(client, "Ka")
    assert 'data-testid="kb-suggestion"' not in response.content.decode()
    assert not FilingSession.objects.exists()


def test_suggestions_respect_visibility(client, world):
    client.force_login(world["people"]["acme"])
    private = world["articles"]["mueller-only"]
    response = _suggest(client, private.title_de)
    assert private.slug not in response.content.decode()


def test_readers_and_agents_get_no_suggestions(client, world):
    for role in ("mueller-reader", "agent"):
        client.force_login(world["people"][role])
        assert _suggest(client, "Kasse startet nicht").status_code == 403


def test_someone_elses_token_counts_nothing(client, world, till):
    client.force_login(world["people"]["mueller"])
    _suggest(client, "Kasse startet nicht")
    client.force_login(world["people"]["acme"])
    _suggest(client, "cash register does not start")
    client.post(reverse("knowledge:solved"), {"idempotency_key": TOKEN, "solved_by": till.slug})
    session = FilingSession.objects.get(token=TOKEN)
    assert (session.user, session.outcome) == (world["people"]["mueller"], FilingOutcome.OPEN)
    assert SuggestionShown.objects.count() == 1


def test_this_solved_my_problem_ends_without_a_ticket_and_counts_once(client, world, till):
    client.force_login(world["people"]["mueller"])
    _suggest(client, "Kasse startet nicht")
    tickets_before = Ticket.objects.count()
    response = client.post(reverse("knowledge:solved"), {"idempotency_key": TOKEN, "solved_by": till.slug,
                                                          "subject": "Kasse startet nicht"})
    assert response.status_code == 302
    assert response["Location"] == reverse("knowledge:article", kwargs={"slug": till.slug})
    session = FilingSession.objects.get(token=TOKEN)
    assert (session.outcome, session.solved_by) == (FilingOutcome.SOLVED, till)
    ended = session.ended_at
    client.post(reverse("knowledge:solved"), {"idempotency_key": TOKEN, "solved_by": till.slug})
    session.refresh_from_db()
    assert session.ended_at == ended
    assert Ticket.objects.count() == tickets_before


def test_solved_without_suggestions_shown_still_counts(client, world, till):
    client.force_login(world["people"]["mueller"])
    client.post(reverse("knowledge:solved"), {"idempotency_key": TOKEN, "solved_by": till.slug})
    session = FilingSession.objects.get(token=TOKEN)
    assert session.outcome == FilingOutcome.SOLVED
    assert session.shown.get().article == till


def test_solved_by_an_article_the_customer_may_not_read_is_a_404(client, world):
    client.force_login(world["people"]["acme"])
    response = client.post(reverse("knowledge:solved"), {"idempotency_key": TOKEN,
                                                         "solved_by": world["articles"]["mueller-only"].slug})
    assert response.status_code == 404
    assert not FilingSession.objects.exists()


def test_a_broken_solved_form_says_so_and_returns_to_the_form(client, world):
    client.force_login(world["people"]["mueller"])
    response = client.post(reverse("knowledge:solved"), {"idempotency_key": "", "solved_by": ""}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("tickets:create")
    assert "Ihre Antwort konnte nicht gespeichert werden" in response.content.decode()  # a German customer


def test_filing_anyway_keeps_the_ticket_and_what_was_shown(client, world, till):
    client.force_login(world["people"]["mueller"])
    _suggest(client, "Kasse startet nicht")
    response = client.post(reverse("tickets:create"), {
        "idempotency_key": TOKEN, "category": "question", "subject": "Kasse startet nicht",
        "description": "Seit heute früh.", "callback_phone": "+49 231 1",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    session = FilingSession.objects.get(token=TOKEN)
    ticket = Ticket.objects.get(idempotency_key=TOKEN)
    assert (session.outcome, session.ticket) == (FilingOutcome.FILED, ticket)
    assert session.shown.count() == 1


def test_filing_without_suggestions_records_no_session(client, world):
    client.force_login(world["people"]["mueller"])
    response = client.post(reverse("tickets:create"), {
        "idempotency_key": TOKEN, "category": "question", "subject": "Frage zur Rechnung",
        "description": "Wo finde ich die Rechnung?",
    })
    assert response.status_code == 302
    assert not FilingSession.objects.exists()


def test_solved_from_the_htmx_filing_form_sends_the_browser_to_the_article(client, world, till):
    """The filing form is sent by htmx, which honours the button's formaction: a followed redirect
    would be swapped into the form, so the answer tells the browser where to go."""
    client.force_login(world["people"]["mueller"])
    response = client.post(reverse("knowledge:solved"), {"idempotency_key": TOKEN, "solved_by": till.slug},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("knowledge:article", kwargs={"slug": till.slug})
    assert FilingSession.objects.get(token=TOKEN).outcome == FilingOutcome.SOLVED
    broken = client.post(reverse("knowledge:solved"), {"idempotency_key": "", "solved_by": ""}, HTTP_HX_REQUEST="true")
    assert broken["HX-Redirect"] == reverse("tickets:create")
