import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

def test_smoke(client, demo, settings):
    client.force_login(demo["users"]["manager"])
    r = client.get(reverse("dashboard:index"))
    assert r.status_code == 200
    open("/tmp/dash/page.html", "w").write(r.content.decode())
    r = client.get(reverse("dashboard:index") + "?period=custom&start=2026-02-01&end=2025-01-01")
    open("/tmp/dash/page_invalid.html", "w").write(r.content.decode())
    for t in ["summary", "weekly", "severity", "backlog", "organisations", "teams", "agents", "breached", "at-risk"]:
        r = client.get(reverse("dashboard:export", kwargs={"table": t}))
        assert r.status_code == 200, t
        print(r.content.decode()[:600])
    r = client.get(reverse("dashboard:monthly_report", kwargs={"customer_number": "10001", "year": 2026, "month": 11}))
    open("/tmp/dash/report.html", "w").write(r.content.decode())
    r = client.get(reverse("dashboard:monthly_csv", kwargs={"customer_number": "10001", "year": 2026, "month": 11}))
    print(r.content.decode())
    r = client.get(reverse("dashboard:monthly"))
    open("/tmp/dash/monthly.html", "w").write(r.content.decode())
