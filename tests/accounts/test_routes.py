"""Every route, every role: allowed routes answer, forbidden ones refuse on the server."""

import pytest
from django.urls import reverse

from tests.routes import ADMIN_LOGIN, LOGIN, ROLES, ROUTES, project_route_names

pytestmark = pytest.mark.django_db


def test_every_route_is_in_the_route_table():
    missing = project_route_names() - set(ROUTES)
    assert not missing, f"add these routes and their access rules to tests/routes.py: {sorted(missing)}"


CASES = [(name, role) for name in ROUTES for role in ROLES]


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_route_access(client, demo, name, role):
    kwargs, expected = ROUTES[name]
    if role != "anonymous":
        client.force_login(demo["users"][role])
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    outcome = expected[role]
    if outcome == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif outcome == ADMIN_LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == outcome, response.content[:500]


@pytest.mark.parametrize("role", ROLES)
def test_admin_only_for_admins(client, demo, role):
    if role != "anonymous":
        client.force_login(demo["users"][role])
    response = client.get(reverse("admin:index"))
    if role == "admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(("role", "visible", "hidden"), [
    ("customer", ["accounts:organisation"], ["accounts:teams", "admin:index"]),
    ("reader", ["accounts:organisation"], ["accounts:teams", "admin:index"]),
    ("agent", ["accounts:teams"], ["accounts:organisation", "admin:index"]),
    ("manager", ["accounts:teams"], ["accounts:organisation", "admin:index"]),
    ("admin", ["accounts:teams", "admin:index"], ["accounts:organisation"]),
])
def test_navigation_is_role_aware(client, demo, role, visible, hidden):
    client.force_login(demo["users"][role])
    nav = [item["name"] for item in client.get(reverse("home")).context["nav_items"]]
    for name in visible:
        assert name in nav
    for name in hidden:
        assert name not in nav


def test_forbidden_page_explains_in_the_users_language(client, demo):
    client.force_login(demo["users"]["customer"])  # German user
    response = client.get(reverse("accounts:teams"))
    assert response.status_code == 403
    assert "Ihre Rolle erlaubt diese Seite nicht." in response.content.decode()
