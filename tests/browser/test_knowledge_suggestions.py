"""Answers while filing, in a real browser: typing in the filing form brings matching articles
beside it (htmx, debounced); "this solved my problem" ends without a ticket and is counted on the
dashboard; filing anyway records what was shown. In German and in English."""

import re

import pytest
from django.urls import reverse

from knowledge.choices import FilingOutcome
from knowledge.demo import DEMO_ARTICLE_SLUG
from knowledge.models import FilingSession
from tests.browser.helpers import login
from tickets.models import Ticket


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"
    return settings.MEDIA_ROOT


def _type_and_wait(page, live_server, text: str, title: str):
    page.goto(live_server.url + reverse("tickets:create"))
    page.locator("input[name=subject]").press_sequentially(text, delay=20)
    suggestion = page.locator("[data-testid=kb-suggestion]", has_text=title)
    suggestion.wait_for()
    return suggestion


def test_kasse_startet_nicht_is_answered_in_german_and_counted(page, live_server, private_media, browser_demo):
    login(page, live_server, "customer")
    tickets_before = Ticket.objects.count()
    suggestion = _type_and_wait(page, live_server, "Kasse startet nicht", "Kasse startet nicht nach dem Update")
    assert "<mark>" in suggestion.locator(".kb-snippet").inner_html()
    suggestion.locator("[data-testid=kb-solved]").click()
    page.wait_for_url(live_server.url + reverse("knowledge:article", kwargs={"slug": DEMO_ARTICLE_SLUG}))
    assert "Schön, dass der Artikel geholfen hat" in page.inner_text(".messages")
    assert page.inner_text("[data-testid=article-title]") == "Kasse startet nicht nach dem Update"
    assert Ticket.objects.count() == tickets_before
    session = FilingSession.objects.get(user=browser_demo["users"]["customer"])
    assert session.outcome == FilingOutcome.SOLVED

    page.context.clear_cookies()
    login(page, live_server, "manager")
    page.goto(live_server.url + reverse("dashboard:deflection"))
    assert page.inner_text("[data-testid=deflection-solved]").strip() == "1"
    assert "Kasse startet nicht nach dem Update" in page.inner_text("[data-testid=deflection-articles]")


def test_the_same_in_english(page, live_server, private_media, browser_demo):
    login(page, live_server, "us-customer")
    suggestion = _type_and_wait(page, live_server, "Cash register does not start",
                                "Cash register does not start after the update")
    suggestion.locator("[data-testid=kb-solved]").click()
    page.wait_for_url(re.compile(r".*/kb/.+/$"))
    assert "We are glad the article helped" in page.inner_text(".messages")
    assert FilingSession.objects.get(user=browser_demo["users"]["us-customer"]).outcome == FilingOutcome.SOLVED


def test_filing_anyway_records_what_was_shown(page, live_server, private_media, browser_demo):
    login(page, live_server, "customer")
    _type_and_wait(page, live_server, "Kasse startet nicht", "Kasse startet nicht nach dem Update")
    page.select_option("select[name=category]", "question")
    page.fill("textarea[name=description]", "Die Umgehung mit F8 hilft bei uns nicht.")
    page.click("[data-testid=file-ticket]")
    page.wait_for_url(re.compile(r".*/tickets/HD-\d{4}-\d{6}/$"))
    session = FilingSession.objects.get(user=browser_demo["users"]["customer"])
    assert session.outcome == FilingOutcome.FILED
    assert session.ticket.subject == "Kasse startet nicht"
    assert session.shown.filter(article__slug=DEMO_ARTICLE_SLUG).exists()
