import pytest

from accounts import access

pytestmark = pytest.mark.django_db

ROLE_MATRIX = {
    # username: (is_customer, can_file, is_agent, is_manager, is_admin)
    "customer": (True, True, False, False, False),
    "reader": (True, False, False, False, False),
    "us-customer": (True, True, False, False, False),
    "partner-agent": (False, False, True, False, False),
    "agent": (False, False, True, False, False),
    "manager": (False, False, True, True, False),
    "admin": (False, False, True, True, True),
}


@pytest.mark.parametrize("username", ROLE_MATRIX)
def test_role_predicates(demo, username):
    user = demo["users"][username]
    got = (
        access.is_customer(user),
        access.can_file_tickets(user),
        access.is_agent(user),
        access.is_manager(user),
        access.is_admin(user),
    )
    assert got == ROLE_MATRIX[username]


def test_inactive_user_has_no_rights(demo):
    user = demo["users"]["manager"]
    user.is_active = False
    assert not access.is_agent(user)
    assert not access.organisations_for(user).exists()


def test_anonymous_sees_no_organisation():
    from django.contrib.auth.models import AnonymousUser

    assert not access.is_customer(AnonymousUser())
    assert list(access.organisations_for(AnonymousUser())) == []


def test_customer_sees_only_its_own_organisation(demo):
    user = demo["users"]["customer"]
    assert list(access.organisations_for(user)) == [user.organisation]


def test_reseller_agent_sees_only_supported_organisations(demo):
    names = set(access.organisations_for(demo["users"]["partner-agent"]).values_list("name", flat=True))
    assert names == {"Bäckerei Schröder"}


def test_vendor_agent_sees_customers_no_reseller_supports(demo):
    names = set(access.organisations_for(demo["users"]["agent"]).values_list("name", flat=True))
    assert names == {"Müller Maschinenbau GmbH", "Acme Tooling Inc.", "Frischmarkt Handels GmbH & Co. KG"}


def test_refusal_names_the_reseller_for_its_customers(demo):
    assert access.contact_for_refusal(demo["users"]["partner-customer"]) == "PartnerSoft GmbH"
