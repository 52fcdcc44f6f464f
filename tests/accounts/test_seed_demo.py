import pytest
from django.core.management import call_command

from accounts.models import Organisation, Role, Team, User

pytestmark = pytest.mark.django_db

REQUIRED_USERS = {
    "customer": Role.CONTACT, "reader": Role.READER, "us-customer": Role.CONTACT,
    "pos-customer": Role.CONTACT, "partner-agent": Role.AGENT, "agent": Role.AGENT,
    "manager": Role.MANAGER, "admin": Role.ADMIN,
}


def _counts():
    return (Organisation.objects.count(), User.objects.count(), Team.objects.count())


def test_seed_demo_is_idempotent(demo):
    before = _counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _counts() == before


@pytest.mark.parametrize(("username", "role"), REQUIRED_USERS.items())
def test_demo_users_sign_in_with_demo(demo, username, role):
    user = demo["users"][username]
    assert user.role == role
    assert user.check_password("demo")


def test_demo_reseller_supports_one_end_customer(demo):
    partner = Organisation.objects.get(name="PartnerSoft GmbH")
    assert partner.kind == Organisation.Kind.RESELLER
    assert list(partner.supported_organisations.values_list("name", flat=True)) == ["Bäckerei Schröder"]
    assert demo["users"]["partner-agent"].organisation == partner


def test_demo_customer_and_reader_belong_to_mueller(demo):
    assert demo["users"]["customer"].organisation.name == "Müller Maschinenbau GmbH"
    assert demo["users"]["reader"].organisation.name == "Müller Maschinenbau GmbH"


def test_admin_is_a_superuser(demo):
    assert demo["users"]["admin"].is_superuser


def test_seed_repairs_a_changed_demo_password(demo):
    user = demo["users"]["agent"]
    user.set_password("something-else")
    user.save()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user.refresh_from_db()
    assert user.check_password("demo")
