"""The filing forms say what they need before anything is sent: the fault fields are marked from
the form's one rule, the severity is asked only where it counts, the size limit is stated and
checked in the browser, chosen files survive an error (htmx keeps the input) or the form says to
choose them again; the phone form's empty severity reads "please choose"."""

import pytest
from django.urls import reverse
from django.utils import translation

from sla.choices import CATEGORIES_WITH_SEVERITY, Category
from tests.factories import AgentFactory, ContactFactory
from tests.tickets.conftest import upload
from tickets.forms import TicketCreateForm, categories_with_severity
from tickets.forms_agent import PhoneTicketForm
from tickets.models import Ticket

pytestmark = pytest.mark.django_db
FAULT_FIELDS = {"severity", "affected_system", "occurring_since", "impact"}


def _data(**overrides):
    data = {"category": "fault", "severity": "minor", "subject": "Waage zählt falsch",
            "affected_system": "Waage Süd", "description": "Die Waage zeigt „Fehler 42“.",
            "occurring_since": "heute", "impact": "Die Kasse steht.", "idempotency_key": "e" * 32}
    data.update(overrides)
    return data


def test_the_marks_come_from_the_forms_rule():
    assert set(TicketCreateForm.category_required) == FAULT_FIELDS
    fault = TicketCreateForm()  # a fault is the initial choice
    assert {name for name, field in fault.fields.items() if field.required} == FAULT_FIELDS | {
        "category", "subject", "description"}
    question = TicketCreateForm(data=_data(category="question"))
    assert not any(question.fields[name].required for name in FAULT_FIELDS)
    for name in FAULT_FIELDS:
        assert fault.fields[name].widget.attrs["data-required-for"] == categories_with_severity()
    assert set(categories_with_severity().split()) == set(CATEGORIES_WITH_SEVERITY)
    assert fault.fields["severity"].widget.attrs["data-shown-for"] == categories_with_severity()


@pytest.mark.parametrize("category", sorted(CATEGORIES_WITH_SEVERITY))
def test_each_fault_field_left_empty_gets_its_own_message(category):
    for name in FAULT_FIELDS:
        with translation.override("en"):
            form = TicketCreateForm(data=_data(category=category, **{name: ""}))
            assert not form.is_valid()
            assert list(form.errors) == [name]
            assert form.errors[name] == [str(TicketCreateForm.category_required[name])]


def test_questions_and_orders_need_no_fault_fields_and_drop_a_severity():
    for category in set(Category.values) - CATEGORIES_WITH_SEVERITY:
        form = TicketCreateForm(data=_data(category=category, severity="severe", affected_system="",
                                           occurring_since="", impact=""))
        assert form.is_valid(), (category, form.errors)
        assert form.cleaned_data["severity"] == ""


def test_the_page_marks_the_required_fields_and_states_the_size_limit(client, settings):
    settings.ATTACHMENT_MAX_MB = 20
    contact = ContactFactory(language="en")
    client.force_login(contact)
    page = client.get(reverse("tickets:create")).content.decode()
    assert 'data-testid="required-note"' in page
    for name in ("affected_system", "occurring_since", "impact"):
        label = page.split(f'for="id_{name}"')[1].split("</label>")[0]
        assert 'class="asteriskField">*' in label, name
    legend = page.split('id="div_id_severity"')[1].split("</legend>")[0]
    assert 'class="asteriskField">*' in legend
    steps = page.split('for="id_steps_to_reproduce"')[1].split("</label>")[0]
    assert "asteriskField" not in steps
    assert "At most 20 MB per file." in page
    assert f'data-max-bytes="{20 * 1024 * 1024}"' in page and 'data-max-label="20 MB"' in page
    assert 'hx-preserve="true"' in page and 'data-dropzone' in page and "js/ticket_form.js" in page


def test_a_plain_submit_with_an_error_says_to_choose_the_files_again(client):
    contact = ContactFactory(language="en")
    client.force_login(contact)
    response = client.post(reverse("tickets:create"), {**_data(impact=""), "attachments": [upload()]})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="files-lost"' in page and "Please choose your files again (Prüfbericht.pdf)" in page
    assert not Ticket.objects.filter(requester=contact).exists()


def test_an_htmx_submit_keeps_the_files_and_goes_on_with_a_client_redirect(client):
    contact = ContactFactory(language="en")
    client.force_login(contact)
    failed = client.post(reverse("tickets:create"), {**_data(impact=""), "attachments": [upload()]},
                         HTTP_HX_REQUEST="true")
    assert failed.status_code == 200 and 'data-testid="files-lost"' not in failed.content.decode()
    filed = client.post(reverse("tickets:create"), {**_data(), "attachments": [upload()]}, HTTP_HX_REQUEST="true")
    ticket = Ticket.objects.get(requester=contact)
    assert filed.status_code == 200
    assert filed["HX-Redirect"] == reverse("tickets:detail", kwargs={"reference": ticket.reference})
    assert list(ticket.attachments.values_list("original_name", flat=True)) == ["Prüfbericht.pdf"]
    page = client.get(filed["HX-Redirect"]).content.decode()
    assert "has been filed" in page  # the message waits for the page the browser goes to


def test_the_phone_forms_empty_severity_says_please_choose():
    agent = AgentFactory()
    with translation.override("en"):
        form = PhoneTicketForm(user=agent)
        assert form.fields["severity"].choices[0] == ("", "Please choose")
        assert form.fields["severity"].required  # a fault is the initial choice
    with translation.override("de"):
        assert str(PhoneTicketForm(user=agent).fields["severity"].choices[0][1]) == "Bitte auswählen"
    question = PhoneTicketForm(user=agent, data={"category": "question"})
    assert not question.fields["severity"].required
