"""Export of a person's data: a ZIP of JSON files and the files they uploaded, recorded."""

import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from api.models import ApiToken
from notifications.services import notification_create
from privacy.models import DataExport
from privacy.services import person_export
from tests.factories import ApiTokenFactory
from tests.privacy.conftest import NOW, PDF, ROLES_WITHOUT_PRIVACY

pytestmark = pytest.mark.django_db


def _archive(person, actor):
    out = io.BytesIO()
    person_export(person=person, actor=actor, out=out, now=NOW)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


def _json(archive, name):
    return json.loads(archive.read(f"{name}.json"))


def test_contact_export_holds_profile_tickets_comments_and_files(admin_user, people, filed):
    contact = people["contact"]
    ApiTokenFactory(user=contact, name="ERP-Import")
    archive = _archive(contact, admin_user)

    profile = _json(archive, "profile")
    assert (profile["username"], profile["email"], profile["phone"]) == ("erika", "erika@example.com", "+49 221 123456")
    tickets = _json(archive, "tickets")
    assert [t["reference"] for t in tickets] == [filed["ticket"].reference]
    assert tickets[0]["callback_phone"] == "+49 221 999"
    comments = _json(archive, "comments")
    assert [c["body"] for c in comments] == ["Bitte rufen Sie Erika unter 0221 123456 an."]
    attachments = _json(archive, "attachments")
    assert sorted(a["file_name"] for a in attachments) == ["Fehlerbild Erika.pdf", "Protokoll.pdf"]
    for row in attachments:
        assert archive.read(row["in_archive"]) == PDF
    assert _json(archive, "time_entries") == []
    assert [t["name"] for t in _json(archive, "api_tokens")] == ["ERP-Import"]
    assert "README.txt" in archive.namelist()


def test_agent_export_holds_time_entries_and_notifications(admin_user, people, filed):
    agent = people["agent"]
    notification_create(recipient=agent, kind="sla_escalation", payload={"reference": "HD-1"}, now=NOW)
    archive = _archive(agent, admin_user)
    entries = _json(archive, "time_entries")
    assert [(e["minutes"], e["note"]) for e in entries] == [(45, "Telefonat mit Frau Mustermann")]
    assert [n["kind"] for n in _json(archive, "notifications")] == ["sla_escalation"]
    assert [c["body"] for c in _json(archive, "comments")] == ["Wir melden uns, Frau Mustermann."]
    assert _json(archive, "tickets") == []


def test_export_is_recorded_with_who_when_and_whose(admin_user, people):
    _archive(people["contact"], admin_user)
    record = DataExport.objects.get()
    assert (record.person, record.actor, record.exported_at) == (people["contact"], admin_user, NOW)


@pytest.mark.parametrize("role", ROLES_WITHOUT_PRIVACY)
def test_other_roles_cannot_export(people, role):
    with pytest.raises(PermissionDenied):
        person_export(person=people["contact"], actor=people[role], out=io.BytesIO(), now=NOW)
    assert not DataExport.objects.exists()


def test_command_writes_the_archive_and_records_it(people, filed, tmp_path):
    path = tmp_path / "erika.zip"
    out = io.StringIO()
    call_command("privacy_export", "erika", str(path), stdout=out)
    archive = zipfile.ZipFile(path)
    assert _json(archive, "profile")["username"] == "erika"
    assert DataExport.objects.get().actor is None
    assert "erika.zip" in out.getvalue()


def test_command_refuses_an_unknown_person_and_an_existing_file(people, tmp_path):
    with pytest.raises(CommandError):
        call_command("privacy_export", "niemand", str(tmp_path / "x.zip"))
    existing = tmp_path / "da.zip"
    existing.write_bytes(b"keep")
    with pytest.raises(CommandError):
        call_command("privacy_export", "erika", str(existing))
    assert existing.read_bytes() == b"keep"
    assert not DataExport.objects.exists()


def test_export_page_downloads_a_zip_for_the_admin(client, admin_user, people, filed):
    client.force_login(admin_user)
    response = client.post(reverse("privacy:export", args=[people["contact"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert _json(archive, "profile")["username"] == "erika"
    assert DataExport.objects.get().actor == admin_user


@pytest.mark.parametrize("role", ROLES_WITHOUT_PRIVACY)
def test_export_page_is_forbidden_to_other_roles(client, people, role):
    client.force_login(people[role])
    response = client.post(reverse("privacy:export", args=[people["contact"].pk]))
    assert response.status_code == 403
    assert not DataExport.objects.exists()
    assert not ApiToken.objects.exists()
