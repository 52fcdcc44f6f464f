"""The SLA admin: every screen opens, bad input is shown next to its field, and saves go
through the services (holidays synced, generated holidays only deactivated)."""

from datetime import date

import pytest
from django.forms import CheckboxInput
from django.urls import reverse

from sla.models import Calendar, Contract, Holiday, OpeningHours, Policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, demo):
    admin = demo["users"]["admin"]
    admin.language = "en"  # the German admin screens are tested below
    admin.save(update_fields=["language"])
    client.force_login(admin)
    return client


def _form_fields(form, data):
    for name, field in form.fields.items():
        bound = form[name]
        value = field.prepare_value(bound.value())
        if isinstance(field.widget, CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif value is None:
            data[bound.html_name] = ""
        elif isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(item) for item in value]
        else:
            data[bound.html_name] = str(value)


def change_form_data(response) -> dict:
    """What the browser would post back unchanged."""
    data: dict = {}
    _form_fields(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _form_fields(formset.management_form, data)
        for form in formset.forms:
            _form_fields(form, data)
    return data


def _calendar_url(slug):
    return reverse("admin:sla_calendar_change", args=[Calendar.objects.get(slug=slug).pk])


@pytest.mark.parametrize("model", ["calendar", "holiday", "policy", "contract"])
def test_every_sla_admin_screen_opens(admin_client, model):
    assert admin_client.get(reverse(f"admin:sla_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:sla_{model}_add")).status_code == 200


def test_calendar_change_page_shows_hours_as_clock_times(admin_client):
    html = admin_client.get(_calendar_url("de-nrw-standard")).content.decode()
    assert 'value="16:00"' in html
    assert "Betriebsferien" in html


def test_unchanged_calendar_saves_without_bumping_the_version(admin_client):
    url = _calendar_url("de-nrw-standard")
    version = Calendar.objects.get(slug="de-nrw-standard").version
    response = admin_client.post(url, change_form_data(admin_client.get(url)))
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert Calendar.objects.get(slug="de-nrw-standard").version == version


def test_overlapping_hours_are_shown_on_the_range_and_nothing_is_saved(admin_client):
    url = _calendar_url("de-nrw-standard")
    data = change_form_data(admin_client.get(url))
    extra = int(data["hours-TOTAL_FORMS"]) - 1  # the empty extra row
    data.update({f"hours-{extra}-weekday": "0", f"hours-{extra}-open_minute": "12:00",
                 f"hours-{extra}-close_minute": "18:00"})
    response = admin_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Monday: 09:00-17:00 and 12:00-18:00 overlap." in html
    assert "Please correct the overlapping opening hours." in html
    assert 'value="12:00"' in html  # what was typed is kept
    assert OpeningHours.objects.filter(calendar__slug="de-nrw-standard").count() == 5


@pytest.mark.parametrize(("open_text", "close_text", "message"), [
    ("17:00", "09:00", "The closing time must be after the opening time."),
    ("09:00", "09:00", "The range is empty: closing time equals opening time."),
    ("09:00", "24:30", "Enter a time between 00:00 and 24:00."),
])
def test_bad_ranges_are_shown_next_to_the_field(admin_client, open_text, close_text, message):
    url = _calendar_url("us-east")
    data = change_form_data(admin_client.get(url))
    extra = int(data["hours-TOTAL_FORMS"]) - 1
    data.update({f"hours-{extra}-weekday": "5", f"hours-{extra}-open_minute": open_text,
                 f"hours-{extra}-close_minute": close_text})
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_new_range_on_a_free_day_is_saved_and_bumps_the_version(admin_client):
    url = _calendar_url("us-east")
    version = Calendar.objects.get(slug="us-east").version
    data = change_form_data(admin_client.get(url))
    extra = int(data["hours-TOTAL_FORMS"]) - 1
    data.update({f"hours-{extra}-weekday": "5", f"hours-{extra}-open_minute": "10:00",
                 f"hours-{extra}-close_minute": "24:00"})
    assert admin_client.post(url, data).status_code == 302
    calendar = Calendar.objects.get(slug="us-east")
    assert calendar.version > version
    assert calendar.hours.filter(weekday=5, open_minute=600, close_minute=1440).exists()


def test_unknown_time_zone_is_shown_in_the_form(admin_client):
    url = _calendar_url("us-east")
    data = change_form_data(admin_client.get(url))
    data["time_zone"] = "America/Neu_York"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "is not a known IANA time zone" in response.content.decode()


def test_deleting_a_public_holiday_in_the_inline_only_deactivates_it(admin_client, settings):
    url = _calendar_url("pos-extended")
    response = admin_client.get(url)
    data = change_form_data(response)
    forms = response.context["inline_admin_formsets"][1].formset.forms
    index, holiday = next((n, f.instance) for n, f in enumerate(forms) if f.instance.pk)
    data[f"holidays-{index}-DELETE"] = "on"
    assert admin_client.post(url, data).status_code == 302
    holiday.refresh_from_db()
    assert holiday.is_active is False
    assert holiday.source == Holiday.Source.GENERATED


def test_adding_a_calendar_in_the_admin_syncs_its_holidays(admin_client):
    response = admin_client.get(reverse("admin:sla_calendar_add"))
    data = change_form_data(response)
    data.update({"name": "Service-Desk Wien", "slug": "wien", "time_zone": "Europe/Vienna",
                 "holiday_country": "AT", "holiday_subdivision": "9", "holidays_from_year": "2026",
                 "holidays_until_year": "2027", "hours-0-weekday": "0", "hours-0-open_minute": "08:30",
                 "hours-0-close_minute": "17:00", "closures-0-start_date": "2026-12-24",
                 "closures-0-end_date": "2026-12-31", "closures-0-reason": "Betriebsurlaub",
                 "closures-0-kind": "company_holidays"})
    response = admin_client.post(reverse("admin:sla_calendar_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    calendar = Calendar.objects.get(slug="wien")
    assert calendar.holidays.filter(date=date(2026, 12, 8)).exists()  # Mariä Empfängnis in Austria
    assert list(calendar.hours.values_list("weekday", "open_minute", "close_minute")) == [(0, 510, 1020)]
    assert calendar.closures.get().reason == "Betriebsurlaub"


def test_sync_holidays_action_reports_per_calendar(admin_client):
    calendar = Calendar.objects.get(slug="us-east")
    calendar.holidays.filter(date=date(2027, 12, 31)).delete()
    response = admin_client.post(reverse("admin:sla_calendar_changelist"),
                                 {"action": "sync_holidays", "_selected_action": [calendar.pk]}, follow=True)
    assert "Support North America: 1 added, 0 renamed, 0 removed." in response.content.decode()
    assert calendar.holidays.filter(date=date(2027, 12, 31)).exists()


def test_policy_target_errors_are_shown_per_field(admin_client):
    policy = Policy.objects.get(slug="pos")
    url = reverse("admin:sla_policy_change", args=[policy.pk])
    data = change_form_data(admin_client.get(url))
    data["targets-0-reaction_target"] = "0h"
    data["targets-1-resolution_target"] = "zehn Tage"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The target must be greater than zero (“0h”)." in html
    assert "“zehn Tage” is not a valid target." in html


def test_policy_targets_are_saved_in_canonical_form(admin_client):
    policy = Policy.objects.get(slug="pos")
    url = reverse("admin:sla_policy_change", args=[policy.pk])
    data = change_form_data(admin_client.get(url))
    severe = next(k for k, v in data.items() if k.endswith("-severity") and v == "severe")
    data[severe.replace("severity", "reaction_target")] = "240m"
    assert admin_client.post(url, data).status_code == 302
    assert policy.targets.get(severity="severe").reaction_target == "4h"


def test_overlapping_contract_is_refused_in_the_admin(admin_client, demo):
    response = admin_client.get(reverse("admin:sla_contract_add"))
    data = change_form_data(response)
    data.update({"organisation": str(demo["organisations"]["10001"].pk),
                 "policy": str(Policy.objects.get(slug="standard-de").pk), "valid_from": "2027-01-01",
                 "hours_per_day": "8"})
    response = admin_client.post(reverse("admin:sla_contract_add"), data)
    assert response.status_code == 200
    assert "This period overlaps the organisation&#x27;s contract" in response.content.decode()
    assert Contract.objects.filter(organisation=demo["organisations"]["10001"]).count() == 1


def test_german_admin_reads_the_errors_in_german(client, demo):
    client.force_login(demo["users"]["admin"])  # Ada Admin reads German
    url = _calendar_url("de-nrw-standard")
    data = change_form_data(client.get(url))
    extra = int(data["hours-TOTAL_FORMS"]) - 1
    data.update({f"hours-{extra}-weekday": "0", f"hours-{extra}-open_minute": "12:00",
                 f"hours-{extra}-close_minute": "18:00"})
    html = client.post(url, data).content.decode()
    assert "Montag: 09:00-17:00 und 12:00-18:00 überschneiden sich." in html
    assert "Bitte korrigieren Sie die überlappenden Öffnungszeiten." in html
