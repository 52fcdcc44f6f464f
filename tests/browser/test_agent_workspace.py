"""The agent's day in a real browser (German): take a ticket from the queue, reply (with the
Markdown preview), provide a workaround, log effort; a second agent who still sees the ticket as
free is told that it was taken, and sees who has it open."""

import re

import pytest
from django.urls import reverse

from tests.browser.helpers import login

SUBJECT = "Stammdaten nach Import verschwunden"  # Müller's new, unassigned data-loss ticket in the demo


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"
    return settings.MEDIA_ROOT


@pytest.fixture
def second_page(browser, browser_context_args):
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _presence_touched(response) -> bool:
    """The workspace's presence poll answered, not the "leave" beacon that the old page sends as
    it unloads (to the same URL): only after the touch does the agent count as present."""
    request = response.request
    return "/work/presence/" in response.url and "leave" not in (request.post_data or "")


def _row(page, subject):
    return page.locator("[data-testid=queue-row]", has_text=subject)


def test_agent_takes_replies_provides_a_workaround_logs_effort_and_a_late_claim_is_refused(
    page, second_page, live_server, private_media, browser_demo
):
    queue_url = live_server.url + reverse("tickets:queue")

    # The manager opens the queue first: the ticket is still free for him.
    login(second_page, live_server, "manager")
    second_page.goto(queue_url)
    assert _row(second_page, SUBJECT).locator("[data-testid=queue-take]").is_visible()

    # The agent reaches the queue through the navigation and takes the ticket.
    login(page, live_server, "agent")
    page.click(f"[data-testid=main-nav] a[href='{reverse('tickets:queue')}']")
    page.wait_for_url(queue_url)
    assert page.locator("h1").inner_text() == "Warteschlange"
    row = _row(page, SUBJECT)
    reference = row.get_attribute("data-reference")
    assert re.match(r"^HD-\d{4}-\d{6}$", reference)
    assert row.locator("[data-testid=sla-state]").count() == 1
    row.locator("[data-testid=queue-take]").click()
    page.wait_for_selector(f".messages >> text=Sie haben {reference} übernommen.")
    assert _row(page, SUBJECT).locator("[data-testid=queue-assignee]").inner_text().strip() == "Anja Böhm"

    # The manager clicks "take" on his stale queue: refused, by name, nothing overwritten.
    _row(second_page, SUBJECT).locator("[data-testid=queue-take]").click()
    refusal = second_page.locator(".messages .alert-danger")
    refusal.wait_for()
    assert f"Anja Böhm hat {reference} bereits übernommen." in refusal.inner_text()

    # The agent opens the workspace: SLA clock and timeline.
    _row(page, SUBJECT).locator("[data-testid=queue-reference]").click()
    page.wait_for_url(re.compile(rf".*/tickets/{reference}/work/$"))
    assert page.locator("[data-testid=sla-clock-reaction]").is_visible()
    assert page.locator("[data-testid=assignee]").inner_text() == "Anja Böhm"

    # The manager opens the same ticket and sees that the agent has it open.
    second_page.goto(live_server.url + reverse("tickets:workspace", kwargs={"reference": reference}))
    with page.expect_response(_presence_touched):
        page.reload()  # the agent's page announces itself on load (after its old page's "leave")
    second_page.reload()
    second_page.wait_for_selector("[data-testid=presence-other] >> text=Anja Böhm hat dieses Ticket geöffnet.")

    # Reply, with the server's Markdown preview first.
    page.fill("[data-testid=agent-reply-body]", "Wir stellen die **240 Artikel** aus der Sicherung wieder her.")
    page.click("[data-testid=preview-reply]")
    page.wait_for_selector("#reply-preview strong >> text=240 Artikel")
    page.click("[data-testid=send-reply]")
    page.wait_for_selector(".messages >> text=Ihre Antwort wurde gesendet.")
    assert "aus der Sicherung wieder her" in page.inner_text("[data-testid=timeline]")

    # In progress, then the workaround with its text.
    page.select_option("[data-testid=status-form] select[name=status]", "in_progress")
    page.click("[data-testid=status-form] button[type=submit]")
    page.wait_for_selector(".messages >> text=Der Status wurde geändert.")
    page.fill("[data-testid=workaround-form] textarea[name=workaround]",
              "Importieren Sie die Artikel bis zur Korrektur einzeln über *Stammdaten → Neu*.")
    page.click("[data-testid=provide-workaround]")
    page.wait_for_selector(".messages >> text=Die Umgehungslösung wurde gespeichert; der Kunde sieht sie.")
    assert page.inner_text("header [data-testid=status]") == "Umgehungslösung geliefert"
    assert "einzeln über" in page.inner_text("[data-testid=workaround]")

    # Effort: 45 minutes of remote maintenance.
    page.fill("[data-testid=effort-form] input[name=minutes]", "45")
    page.select_option("[data-testid=effort-form] select[name=work_type]", "remote")
    page.fill("[data-testid=effort-form] input[name=note]", "Sicherung eingespielt")
    page.click("[data-testid=log-effort]")
    page.wait_for_selector(".messages >> text=Die Zeit wurde erfasst.")
    assert page.get_attribute("[data-testid=effort-total]", "data-minutes") == "45"
    assert "Sicherung eingespielt" in page.inner_text("[data-testid=time-entries]")

    # The customer sees the reply and the workaround, not who works on it.
    from tickets.models import Ticket

    ticket = Ticket.objects.get(reference=reference)
    assert ticket.assignee.username == "agent" and ticket.status == "workaround"
    assert ticket.time_entries.get().minutes == 45
