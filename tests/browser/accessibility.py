"""Accessibility checks in the browser tests: axe-core (vendored in static/vendor/axe-core, a
test asset that no product page loads) is injected into the page under test, and signing in
uses a session made with Django's test client (faster than the form, which has its own tests)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.test import Client

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + " :: " + (n.failureSummary || "").replace(/\\n/g, " ")),
  }));
}"""


def sign_in(context, live_server, user) -> None:
    """Give the browser context the session cookie of `user` (Client.force_login)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])


def choose_language(context, live_server, language: str) -> None:
    """The language switch's cookie (pages for visitors who are not signed in)."""
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])


def serious_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    return [v for v in page.evaluate(RUN_AXE) if v["impact"] in SERIOUS]


def report(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['impact']}: {v['id']} ({v['help']})")
        lines += [f"    {node}" for node in v["nodes"][:8]]
    return "\n".join(lines)
