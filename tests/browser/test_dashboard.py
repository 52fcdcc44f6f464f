"""A manager opens the SLA dashboard from the navigation: the charts are drawn, a filter changes
the figures, a table downloads as CSV."""

import pytest
from django.urls import reverse

from tests.browser.helpers import login

pytestmark = pytest.mark.browser

CHARTS = ["weekly", "backlog", "severity", "organisations"]


def figure(page, key: str) -> str:
    return page.locator(f"[data-testid=figure-{key}] [data-testid=value]").inner_text()


def test_manager_sees_charts_filters_the_figures_and_downloads_a_csv(page, live_server, browser_demo):
    login(page, live_server, "manager")
    page.locator("[data-testid=main-nav]").get_by_role("link", name="Dashboard").click()
    page.wait_for_url(live_server.url + reverse("dashboard:index"))
    assert page.get_by_role("heading", level=1).inner_text() == "SLA-Dashboard"

    for chart in CHARTS:
        canvas = page.locator(f"canvas#chart-{chart}")
        assert canvas.count() == 1
        assert page.evaluate(f"() => Chart.getChart(document.getElementById('chart-{chart}')) !== undefined")
        assert canvas.bounding_box()["height"] > 100  # drawn at its size, not collapsed
    datasets = page.evaluate("() => Chart.getChart(document.getElementById('chart-weekly')).data.datasets.length")
    assert datasets == 2
    page.locator("#chart-severity-table summary").click()
    assert page.locator("[data-testid=table-severity]").is_visible()

    reported_all, backlog_all = figure(page, "reported"), figure(page, "backlog")
    page.select_option("#id_severity", "minor")
    page.click("[data-testid=apply-filters]")
    page.wait_for_url("**severity=minor**")
    assert figure(page, "reported") != reported_all
    assert int(figure(page, "backlog")) < int(backlog_all)
    assert page.evaluate("() => Chart.getChart(document.getElementById('chart-severity')) !== undefined")

    with page.expect_download() as info:
        page.click("[data-testid=group-organisations] [data-testid=csv-organisations]")
    download = info.value
    assert download.suggested_filename.startswith("dashboard-organisations-")
    assert download.suggested_filename.endswith(".csv")
    content = open(download.path(), encoding="utf-8").read()  # noqa: SIM115
    assert content.startswith("\ufeffOrganisation;Gemeldete Tickets;")
    assert "Müller Maschinenbau GmbH;" in content
