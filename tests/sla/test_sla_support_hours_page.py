"""The published support hours: public, in German and English, with the next 60 days'
holidays and closures in the reader's language."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from sla import views
from sla.calendars import business_calendar_cache_clear
from sla.models import Calendar

pytestmark = pytest.mark.django_db
URL = "/support-hours/"
SUNDAY_BEFORE_CHRISTMAS = datetime(2026, 12, 20, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.fixture
def hours_page(demo, client, monkeypatch, settings):
    business_calendar_cache_clear()
    monkeypatch.setattr(views, "now", lambda: SUNDAY_BEFORE_CHRISTMAS)

    def get(language="en", user=None):
        if user:
            client.force_login(demo["users"][user])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # a visitor's choice
        response = client.get(URL)
        assert response.status_code == 200
        return response.content.decode()

    return get


def test_url_name():
    assert reverse("sla:support_hours") == URL


def test_english_page_shows_hours_english_holiday_names_and_the_closure(hours_page):
    html = hours_page("en")
    assert "Support hours" in html
    assert "Support Deutschland" in html and "Support North America" in html and "Kassen-Hotline" in html
    assert "09:00\u201316:00" in html  # Friday on de-nrw-standard
    assert "09:00\u201320:00" in html  # the point-of-sale desk
    assert "Christmas Day" in html and "Erster Weihnachtstag" not in html
    assert "Martin Luther King Jr. Day" in html  # 18 January, within 60 days
    assert "Dec. 24, 2026 to Jan. 1, 2027: Betriebsferien" in html
    assert "Closed now, opens Monday, Dec. 21, 2026 at 09:00" in html


def test_german_page_shows_german_holiday_names_and_the_closure(hours_page):
    html = hours_page("de")
    assert "Supportzeiten" in html
    assert "Erster Weihnachtstag" in html and "Zweiter Weihnachtstag" in html
    assert "Christmas Day\n" not in html
    assert "24. Dezember 2026 bis 1. Januar 2027: Betriebsferien" in html
    assert "Geschlossen, öffnet Montag, 21. Dezember 2026 um 09:00" in html


def test_a_signed_in_user_reads_it_in_their_own_language(hours_page):
    html = hours_page("en", user="customer")  # Jürgen Müller reads German
    assert "Erster Weihnachtstag" in html


def test_holidays_beyond_60_days_are_not_listed(hours_page):
    html = hours_page("en")
    assert "Washington&#x27;s Birthday" in html  # 15 February 2027: day 57
    assert "Memorial Day" not in html and "Karfreitag" not in html


def test_the_us_desk_shows_its_next_opening_in_new_york_time(hours_page, monkeypatch):
    monkeypatch.setattr(views, "now", lambda: datetime(2026, 12, 21, 8, 0, tzinfo=ZoneInfo("Europe/Berlin")))
    html = hours_page("en")  # 02:00 in New York: opens 09:00 there, 15:00 in Berlin
    assert "Closed now, opens Monday, Dec. 21, 2026 at 09:00" in html.split("Support North America")[1]


def test_unpublished_desks_are_hidden(hours_page):
    Calendar.objects.filter(slug="pos-extended").update(is_public=False)
    assert "Kassen-Hotline" not in hours_page("en")


def test_page_needs_few_queries(hours_page, django_assert_max_num_queries):
    with django_assert_max_num_queries(4 + 3 * 3):  # desks, hours, holidays, closures; one build per desk
        hours_page("en")


def test_signed_in_users_find_it_in_the_navigation_and_everyone_in_the_footer(demo, client):
    client.force_login(demo["users"]["us-customer"])
    response = client.get(reverse("home"))
    assert "sla:support_hours" in [item["name"] for item in response.context["nav_items"]]
    client.logout()
    html = client.get(reverse("login")).content.decode()
    assert f'href="{URL}"' in html
