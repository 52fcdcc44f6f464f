import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_with_demo_password_lands_on_home(client, demo):
    response = client.post(reverse("login"), {"username": "customer", "password": "demo"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"].username == "customer"


def test_wrong_password_shows_an_error_and_keeps_the_username(client, demo):
    response = client.post(reverse("login"), {"username": "customer", "password": "wrong"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="customer"' in body
    assert "The password was wrong, or there is no account with this user name." in body
    assert "Please enter a correct" not in body


def test_the_wrong_password_message_in_german_and_empty_fields_told_apart(client, settings):
    from tests.factories import UserFactory

    UserFactory(username="jürgen.größ")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    body = client.post(reverse("login"), {"username": "jürgen.größ", "password": "falsch"}).content.decode()
    assert "Das Passwort war falsch, oder es gibt kein Konto mit diesem Benutzernamen." in body
    empty = client.post(reverse("login"), {"username": "jürgen.größ", "password": ""}).content.decode()
    assert "Das Passwort war falsch" not in empty
    assert "Dieses Feld ist zwingend erforderlich." in empty


def test_login_is_throttled_after_repeated_failures(client, demo, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "agent", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "agent", "password": "demo"})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_lockout_message_is_german_for_german_visitors(client, demo, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(reverse("login"), {"username": "agent", "password": "wrong"})
    assert response.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in response.content.decode()


def test_failures_of_one_account_do_not_lock_another(client, demo, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "agent", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "manager", "password": "demo"})
    assert response.status_code == 302


def test_logout_needs_post_and_ends_the_session(client, demo):
    client.force_login(demo["users"]["agent"])
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_reset_is_queued_then_sent_in_the_recipients_language_and_its_link_works(
    client, demo, settings, django_capture_on_commit_callbacks
):
    from notifications.models import OutboxMail, OutboxStatus
    from notifications.tasks import outbox_deliver

    settings.SITE_URL = "https://support.example.com:8443"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the requester browses in English
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("password_reset"), {"email": "CUSTOMER@demo.example"})
    assert response.status_code == 302
    [row] = OutboxMail.objects.filter(kind="password_reset")
    assert row.recipient == demo["users"]["customer"] and row.status == OutboxStatus.PENDING
    assert row.payload == {}  # no token at rest: the link is made when the mail is sent
    assert mail.outbox == [] and len(callbacks) == 1  # nothing sent in the request; delivery after commit
    outbox_deliver()
    [message] = mail.outbox
    assert message.to == ["customer@demo.example"]
    assert "Passwort" in message.subject  # the account's language is German
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    link = re.search(r"https://support\.example\.com:8443(/account/password/reset/\S+/)", message.body)
    assert link and f'href="{link.group(0)}"' in message.alternatives[0][0]
    form_page = client.get(link.group(1), follow=True)
    assert form_page.context["validlink"] is True
    done = client.post(form_page.redirect_chain[-1][0],
                       {"new_password1": "Ein-neues-Passwort-42", "new_password2": "Ein-neues-Passwort-42"})
    assert done.status_code == 302
    demo["users"]["customer"].refresh_from_db()
    assert demo["users"]["customer"].check_password("Ein-neues-Passwort-42")
    assert client.get(link.group(1), follow=True).context["validlink"] is False  # spent


def test_password_reset_for_unknown_address_queues_nothing_and_reveals_nothing(
    client, demo, django_capture_on_commit_callbacks
):
    from notifications.models import OutboxMail

    before = OutboxMail.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")  # the same answer as for a known address
    assert len(callbacks) == 1  # the same work: a delivery run, which finds nothing
    assert OutboxMail.objects.count() == before
    assert mail.outbox == []


def test_a_failing_request_leaves_no_reset_mail(demo):
    from django.db import transaction

    from notifications.models import OutboxMail
    from notifications.password_reset import QueuedPasswordResetForm

    form = QueuedPasswordResetForm({"email": "customer@demo.example"})
    assert form.is_valid()
    with pytest.raises(RuntimeError), transaction.atomic():
        form.save(domain_override="ignored")
        assert OutboxMail.objects.filter(kind="password_reset").count() == 1
        raise RuntimeError("the request failed")
    assert not OutboxMail.objects.filter(kind="password_reset").exists()


def test_password_change_rejects_a_wrong_old_password(client, demo):
    client.force_login(demo["users"]["customer"])
    response = client.post(reverse("password_change"), {
        "old_password": "nope", "new_password1": "Ein-neues-Passwort-42", "new_password2": "Ein-neues-Passwort-42"})
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    demo["users"]["customer"].refresh_from_db()
    assert demo["users"]["customer"].check_password("demo")


def test_language_choice_sticks_to_the_account(client, demo):
    user = demo["users"]["customer"]
    client.force_login(user)
    response = client.post(reverse("accounts:language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"
    # A new session (another device) gets the stored language, not the default.
    other = type(client)()
    other.force_login(user)
    assert 'lang="en"' in other.get(reverse("home")).content.decode()


def test_unknown_language_is_refused_with_a_message(client, demo):
    user = demo["users"]["customer"]
    client.force_login(user)
    response = client.post(reverse("accounts:language"), {"language": "xx"}, follow=True)
    user.refresh_from_db()
    assert user.language == "de"
    assert "Bitte wählen Sie eine der angebotenen Sprachen." in response.content.decode()


def test_language_switch_never_redirects_off_site(client, demo):
    response = client.post(reverse("accounts:language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_anonymous_language_switch_sets_the_cookie(client, settings):
    response = client.post(reverse("accounts:language"), {"language": "en", "next": "/account/login/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert 'lang="en"' in client.get(reverse("login")).content.decode()


def test_default_language_is_german(client, settings):
    settings.LANGUAGE_CODE = "de"
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="").content.decode()
    assert 'lang="de"' in body
    assert "Anmelden" in body


def test_no_reset_mail_for_inactive_accounts_or_unusable_passwords(demo):
    from notifications.password_reset import password_reset_record

    customer, reader = demo["users"]["customer"], demo["users"]["reader"]
    customer.is_active = False
    customer.save(update_fields=["is_active"])
    reader.set_unusable_password()
    reader.save(update_fields=["password"])
    from django.utils import timezone

    assert password_reset_record(email=customer.email, now=timezone.now()) == 0
    assert password_reset_record(email=reader.email.upper(), now=timezone.now()) == 0
    assert password_reset_record(email=demo["users"]["agent"].email.upper(), now=timezone.now()) == 1
