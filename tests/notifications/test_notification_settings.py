"""Per-person notification settings: role defaults, the settings page (German and English), and
the rule that managers cannot switch escalation mails off, only bundle them into the digest."""

import pytest
from django.urls import reverse

from accounts.models import User
from notifications.models import NotificationSettings
from notifications.preferences import mail_mode, mail_modes
from notifications.services import notification_settings_save

pytestmark = pytest.mark.django_db
URL = reverse("notification_settings:edit")


@pytest.fixture
def users(demo):
    return demo["users"]


def test_defaults_follow_the_role(users):
    assert mail_modes(users["customer"]) == {"ticket_reply": "mail", "ticket_status": "mail"}
    assert mail_modes(users["agent"]) == {
        "ticket_assigned": "mail", "ticket_customer_reply": "mail", "ticket_new_in_team": "mail",
        "escalation_warning": "mail", "escalation_breach": "mail", "escalation_post_breach": "mail",
    }
    manager = mail_modes(users["manager"])
    assert manager["ticket_new_in_team"] == "off"
    assert manager["escalation_breach"] == manager["escalation_post_breach"] == "mail"


def test_a_stored_choice_the_role_does_not_allow_falls_back_to_the_default(users):
    NotificationSettings.objects.create(user=users["manager"], choices={"escalation_breach": "off", "gone": "off"})
    assert mail_mode(users["manager"], "escalation_breach") == "mail"


def test_the_page_in_german_lists_the_choices_of_the_role(client, users):
    client.force_login(users["manager"])
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Benachrichtigungen" in page and "Eskalationen" in page
    assert 'name="escalation_breach" value="digest"' in page
    assert 'name="escalation_breach" value="off"' not in page  # managers may not switch them off
    assert 'name="ticket_new_in_team" value="off"' in page


def test_the_page_in_english_for_a_customer(client, users):
    customer = users["us-customer"]
    client.force_login(customer)
    page = client.get(URL).content.decode()
    assert "Notification settings" in page and "Support replies on my ticket" in page
    assert "escalation" not in page.lower().replace("escalations to", "")
    assert customer.email in page


def test_saving_stores_the_choices_and_says_so(client, users):
    users["agent"].language = "en"
    users["agent"].save(update_fields=["language"])
    client.force_login(users["agent"])
    data = {**mail_modes(users["agent"]), "ticket_new_in_team": "off", "escalation_warning": "digest"}
    response = client.post(URL, data, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.redirect_chain[-1][0] == URL
    assert "Your notification settings have been saved." in response.content.decode()
    agent = User.objects.get(pk=users["agent"].pk)  # not the instance that cached "no settings yet"
    assert mail_mode(agent, "ticket_new_in_team") == "off"
    assert mail_mode(agent, "escalation_warning") == "digest"


def test_a_manager_switching_escalations_off_is_told_why_and_nothing_is_saved(client, users):
    users["manager"].language = "en"
    users["manager"].save(update_fields=["language"])
    client.force_login(users["manager"])
    data = {**mail_modes(users["manager"]), "escalation_breach": "off"}
    response = client.post(URL, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Managers cannot switch escalation mails off. Choose the daily digest to get them once a day." in page
    assert "Your settings were not saved." in page
    assert not NotificationSettings.objects.filter(user=users["manager"]).exists()


def test_a_missing_choice_is_an_error_in_german(client, users):
    client.force_login(users["customer"])
    response = client.post(URL, {"ticket_reply": "mail"}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert "Bitte wählen Sie" in response.content.decode()


def test_the_user_menu_links_to_the_page(client, users):
    client.force_login(users["reader"])
    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()


def test_saving_keeps_the_choices_of_other_topics(users):
    notification_settings_save(user=users["agent"], choices={"ticket_assigned": "off"})
    notification_settings_save(user=users["agent"], choices={"escalation_warning": "digest"})
    assert NotificationSettings.objects.get(user=users["agent"]).choices == {
        "ticket_assigned": "off", "escalation_warning": "digest",
    }
    with pytest.raises(ValueError, match="unknown mail modes"):
        notification_settings_save(user=users["agent"], choices={"ticket_assigned": "sometimes"})


def test_the_settings_are_part_of_a_data_export(users):
    import io
    import json
    import zipfile

    from privacy.services import person_export

    notification_settings_save(user=users["agent"], choices={"ticket_new_in_team": "off"})
    out = io.BytesIO()
    person_export(person=users["agent"], actor=None, out=out, now=users["agent"].date_joined)
    exported = json.loads(zipfile.ZipFile(out).read("notification_settings.json"))
    assert [row["choices"] for row in exported] == [{"ticket_new_in_team": "off"}]
