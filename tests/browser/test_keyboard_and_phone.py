"""The filing form with the keyboard alone (focus always visible), and the portal on a phone
(390 px wide): no horizontal scrolling, the form is sent, the ticket page shows the conversation
and takes a reply."""

import re

import pytest
from django.urls import reverse

from tests.browser.accessibility import sign_in
from tickets.demo import first_demo_reference

pytestmark = pytest.mark.browser

FOCUS_VISIBLE = """() => {
  const element = document.activeElement, style = getComputedStyle(element);
  return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
}"""


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus; every element on the way
    shows that it has it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
        assert page.evaluate(FOCUS_VISIBLE), f"focus not visible on {focused}"
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.fixture
def customer(browser_demo):
    user = browser_demo["users"]["customer"]
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def test_the_filing_form_works_with_the_keyboard_alone(context, page, live_server, customer):
    sign_in(context, live_server, customer)
    page.goto(live_server.url + reverse("tickets:create"))
    tab_to(page, "select[name=category]")
    page.keyboard.type("Question")  # a closed select picks the option by typing
    assert page.locator("select[name=category]").input_value() == "question"
    tab_to(page, "input[name=subject]")
    page.keyboard.type("Keyboard only: how do I export the parts list?")
    tab_to(page, "textarea[name=description]")
    page.keyboard.type("We need it as CSV.")
    tab_to(page, "[data-testid=file-ticket]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/tickets/HD-\d{4}-\d{6}/$"))
    assert "Keyboard only" in page.inner_text("h1")


def _no_horizontal_scrolling(page) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"scrollWidth {width[0]} > innerWidth {width[1]}"


@pytest.fixture
def phone(browser, browser_context_args):
    context = browser.new_context(**{**browser_context_args, "viewport": {"width": 390, "height": 844}},
                                  is_mobile=True, has_touch=True)
    yield context
    context.close()


def test_the_portal_works_on_a_phone(phone, live_server, customer):
    sign_in(phone, live_server, customer)
    page = phone.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + reverse("tickets:create"))
    _no_horizontal_scrolling(page)
    page.select_option("select[name=category]", "question")
    page.fill("input[name=subject]", "From the phone")
    page.fill("textarea[name=description]", "Filed on a narrow screen.")
    page.locator("[data-testid=file-ticket]").tap()
    page.wait_for_url(re.compile(r".*/tickets/HD-\d{4}-\d{6}/$"))
    _no_horizontal_scrolling(page)

    page.goto(live_server.url + reverse("tickets:detail", kwargs={"reference": first_demo_reference()}))
    _no_horizontal_scrolling(page)
    assert page.locator("[data-testid=timeline-comment]").first.is_visible()
    reply = page.locator("[data-testid=reply-form] textarea[name=body]")
    reply.scroll_into_view_if_needed()
    box = reply.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # the whole box on the screen
    reply.fill("Reply from the phone.")
    page.locator("[data-testid=reply-submit]").tap()
    page.wait_for_selector("[data-testid=timeline-comment] >> text=Reply from the phone.")
    _no_horizontal_scrolling(page)
