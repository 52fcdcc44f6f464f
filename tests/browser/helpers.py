from django.urls import reverse


def login(page, live_server, username: str, password: str = "demo"):
    """Sign in through the real login form and wait for the start page."""
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(live_server.url + reverse("home"))
    return page
