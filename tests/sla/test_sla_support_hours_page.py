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
    assert "Support Deutschland" in html and "Support North America" in html
    assert "Kassen-Hotline" not in html  # one contract's desk: not published
    assert "09:00\u201316:00" in html  # Friday on de-nrw-standard
    assert "Christmas Day" in html and "Erster Weihnachtstag" not in html  # the US desk's
    assert "Martin Luther King Jr. Day" in html  # 18 January, within 60 days
    assert "24 December 2026 to 1 January 2027: Betriebsferien" in html
    assert "Closed now, opens tomorrow at 09:00 (Berlin time)" in html
    assert "All times in Berlin time" in html and "All times in New York time" in html
    assert "Europe/Berlin" not in html


def test_german_page_shows_german_holiday_names_and_the_closure(hours_page):
    html = hours_page("de")
    assert "Supportzeiten" in html
    assert "Christmas Day\n" not in html
    assert "24. Dezember 2026 bis 1. Januar 2027: Betriebsferien" in html
    assert "Geschlossen, öffnet morgen um 09:00 (Ortszeit Berlin)" in html
    assert "Alle Zeiten nach Ortszeit New York" in html


def test_a_signed_in_user_reads_it_in_their_own_language(hours_page):
    html = hours_page("en", user="customer")  # Jürgen Müller reads German
    assert "Alle Zeiten nach Ortszeit Berlin" in html


def test_a_holiday_inside_a_closure_is_listed_once_as_the_closure(hours_page):
    html = hours_page("de")
    germany = html.split('id="desk-de-nrw-standard"')[1].split('id="desk-us-east"')[0]
    assert "Betriebsferien" in germany
    # Christmas, Boxing Day and New Year fall inside the company holidays (24.12. to 1.1.)
    assert "Erster Weihnachtstag" not in germany and "Zweiter Weihnachtstag" not in germany
    assert "Neujahr" not in germany
    assert "Heilige Drei Könige" not in germany  # not a holiday in North Rhine-Westphalia
    us = hours_page("en").split('id="desk-us-east"')[1]
    assert "Christmas Day" in us  # no closure there


def test_the_next_opening_says_today_tomorrow_or_the_day(hours_page, monkeypatch):
    berlin = ZoneInfo("Europe/Berlin")
    monkeypatch.setattr(views, "now", lambda: datetime(2026, 12, 21, 7, 0, tzinfo=berlin))
    assert "Closed now, opens today at 09:00 (Berlin time)" in hours_page("en")
    monkeypatch.setattr(views, "now", lambda: datetime(2026, 12, 18, 17, 30, tzinfo=berlin))  # Friday evening
    assert "Closed now, opens Monday, 21 December 2026 at 09:00 (Berlin time)" in hours_page("en")


def test_opening_day_is_judged_in_the_desks_zone():
    from sla.selectors import TODAY, TOMORROW, opening_day, zone_name

    new_york = ZoneInfo("America/New_York")
    opens = datetime(2026, 12, 21, 9, 0, tzinfo=new_york)
    assert opening_day(opens, datetime(2026, 12, 21, 5, 0, tzinfo=ZoneInfo("Europe/Berlin"))) == TOMORROW  # 23:00 NY
    assert opening_day(opens, datetime(2026, 12, 21, 7, 0, tzinfo=ZoneInfo("Europe/Berlin"))) == TODAY  # 01:00 NY
    assert opening_day(opens, datetime(2026, 12, 19, 12, 0, tzinfo=new_york)) == ""
    assert opening_day(None, opens) == ""
    assert zone_name("America/New_York") == "New York time" and zone_name("UTC") == "UTC"


def test_holidays_beyond_60_days_are_not_listed(hours_page):
    html = hours_page("en")
    assert "Washington&#x27;s Birthday" in html  # 15 February 2027: day 57
    assert "Memorial Day" not in html and "Karfreitag" not in html


def test_the_us_desk_shows_its_next_opening_in_new_york_time(hours_page, monkeypatch):
    monkeypatch.setattr(views, "now", lambda: datetime(2026, 12, 21, 8, 0, tzinfo=ZoneInfo("Europe/Berlin")))
    html = hours_page("en")  # 02:00 in New York: opens 09:00 there, 15:00 in Berlin
    assert "Closed now, opens today at 09:00 (New York time)" in html.split("Support North America")[1]


def test_unpublished_desks_are_hidden(hours_page):
    Calendar.objects.filter(slug="us-east").update(is_public=False)
    assert "Support North America" not in hours_page("en")
    assert "Support Deutschland" in hours_page("en")


def test_an_unpublished_desk_is_shown_to_its_contracts_customers_agents_and_managers(hours_page, client):
    assert "Kassen-Hotline" not in hours_page("en")
    assert "Kassen-Hotline" in hours_page("en", user="pos-customer")  # its contract's fault desk
    client.logout()
    assert "Kassen-Hotline" not in hours_page("en", user="customer")  # Müller: not their desk
    client.logout()
    assert "Kassen-Hotline" in hours_page("en", user="manager")


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
