"""Replies, internal notes and attachments through the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tickets.models import Comment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% Pruefbericht\n%%EOF\n"


def test_customer_replies_and_agent_reply_counts_as_reaction(api, file_ticket):
    ticket = file_ticket()
    base = f"/api/v1/tickets/{ticket.reference}/comments/"
    assert api("customer").post(base, {"body": "Es tritt wieder auf."}, format="json").status_code == 201
    response = api("agent").post(base, {"body": "Wir schauen uns das an."}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["author"]["name"] == "Anja Böhm" and body["channel"] == "api" and body["is_internal"] is False
    ticket.refresh_from_db()
    assert ticket.first_reaction_at is not None


def test_reply_with_the_same_key_is_saved_once(api, file_ticket):
    ticket = file_ticket()
    client = api("customer")
    base = f"/api/v1/tickets/{ticket.reference}/comments/"
    client.post(base, {"body": "Noch da?", "idempotency_key": "k1"}, format="json")
    client.post(base, {"body": "Noch da?", "idempotency_key": "k1"}, format="json")
    assert Comment.objects.filter(ticket=ticket).count() == 1


def test_reply_on_a_closed_ticket_explains_how_to_go_on(api, file_ticket):
    ticket = file_ticket()
    api("customer").patch(f"/api/v1/tickets/{ticket.reference}/", {"status": "closed"}, format="json")
    response = api("customer").post(f"/api/v1/tickets/{ticket.reference}/comments/", {"body": "Doch nicht."},
                                    format="json")
    assert response.status_code == 422
    assert "Reopen" in str(response.json())


def test_upload_download_round_trip_keeps_the_umlaut_name(api, file_ticket):
    ticket = file_ticket()
    client = api("customer")
    base = f"/api/v1/tickets/{ticket.reference}/attachments/"
    response = client.post(base, {"file": SimpleUploadedFile("Prüfbericht März.pdf", PDF)}, format="multipart")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "Prüfbericht März.pdf" and body["size"] == len(PDF)
    download = client.get(body["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]


def test_refused_upload_names_the_file_and_the_reason(api, file_ticket):
    ticket = file_ticket()
    response = api("customer").post(
        f"/api/v1/tickets/{ticket.reference}/attachments/",
        {"file": SimpleUploadedFile("rechnung.pdf", b"MZ\x90\x00 not a pdf")}, format="multipart",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "content"
    assert "rechnung.pdf" in response.json()["detail"]


def test_upload_to_a_comment_of_another_ticket_is_refused(api, file_ticket):
    first, second = file_ticket(), file_ticket()
    comment = api("customer").post(f"/api/v1/tickets/{first.reference}/comments/", {"body": "Hallo"},
                                   format="json").json()
    response = api("customer").post(
        f"/api/v1/tickets/{second.reference}/attachments/",
        {"file": SimpleUploadedFile("log.txt", b"Zeile 1"), "comment": comment["id"]}, format="multipart",
    )
    assert response.status_code == 422
    assert "comment" in response.json()["fields"]


def test_customer_cannot_attach_to_an_internal_note(api, users, file_ticket):
    from tickets.services import comment_add

    ticket = file_ticket()
    note = comment_add(ticket=ticket, author=users["agent"], body="Intern", is_internal=True).comment
    response = api("customer").post(
        f"/api/v1/tickets/{ticket.reference}/attachments/",
        {"file": SimpleUploadedFile("log.txt", b"Zeile 1"), "comment": note.pk}, format="multipart",
    )
    assert response.status_code == 422


def test_a_repeated_comment_is_a_200_with_the_first_comment(api, file_ticket):
    ticket = file_ticket()
    client = api("customer")
    base = f"/api/v1/tickets/{ticket.reference}/comments/"
    first = client.post(base, {"body": "Noch da?"}, format="json", HTTP_IDEMPOTENCY_KEY="erp-11")
    again = client.post(base, {"body": "Noch da?"}, format="json", HTTP_IDEMPOTENCY_KEY="erp-11")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Comment.objects.filter(ticket=ticket).count() == 1


def test_the_key_of_a_comment_on_another_ticket_is_a_conflict_not_a_500(api, file_ticket):
    first, second = file_ticket(), file_ticket()
    client = api("customer", language="de")
    assert client.post(f"/api/v1/tickets/{first.reference}/comments/", {"body": "Noch da?"}, format="json",
                       HTTP_IDEMPOTENCY_KEY="erp-12").status_code == 201
    response = client.post(f"/api/v1/tickets/{second.reference}/comments/", {"body": "Noch da?"}, format="json",
                           HTTP_IDEMPOTENCY_KEY="erp-12")
    assert response.status_code == 409
    assert response.json() == {
        "code": "idempotency_conflict",
        "detail": "Dieser Idempotenzschlüssel wurde bereits für einen anderen Kommentar verwendet. Senden Sie diese "
                  "Anfrage unverändert erneut oder verwenden Sie für einen neuen Kommentar einen neuen Schlüssel.",
    }
    assert not Comment.objects.filter(ticket=second).exists()


def test_the_key_with_another_text_is_a_conflict(api, file_ticket):
    ticket = file_ticket()
    client = api("customer")
    base = f"/api/v1/tickets/{ticket.reference}/comments/"
    client.post(base, {"body": "Noch da?", "idempotency_key": "erp-13"}, format="json")
    response = client.post(base, {"body": "Hallo?", "idempotency_key": "erp-13"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_conflict"
    assert "another comment" in response.json()["detail"]
    assert list(Comment.objects.filter(ticket=ticket).values_list("body", flat=True)) == ["Noch da?"]


def test_the_schema_documents_the_repeated_comment_and_the_conflict(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/tickets/{reference}/comments/"]["post"]
    assert {"200", "201", "409"} <= set(operation["responses"])
    assert "Idempotency-Key" in [parameter["name"] for parameter in operation["parameters"]]
