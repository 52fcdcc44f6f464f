import pytest
from django.core.exceptions import ValidationError

from accounts.models import Organisation, Role
from tests.factories import OrganisationFactory, ResellerFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_support_partner_must_be_a_reseller():
    other_customer = OrganisationFactory()
    org = OrganisationFactory.build(support_partner=other_customer)
    with pytest.raises(ValidationError) as excinfo:
        org.full_clean()
    assert "support_partner" in excinfo.value.message_dict


def test_reseller_customer_is_valid():
    org = OrganisationFactory.build(support_partner=ResellerFactory())
    org.full_clean()


def test_country_must_be_a_two_letter_code():
    org = OrganisationFactory.build(country="de")
    with pytest.raises(ValidationError) as excinfo:
        org.full_clean()
    assert "country" in excinfo.value.message_dict


def test_customer_roles_need_a_customer_organisation():
    vendor = OrganisationFactory(kind=Organisation.Kind.VENDOR)
    user = UserFactory.build(organisation=vendor, role=Role.CONTACT)
    with pytest.raises(ValidationError) as excinfo:
        user.full_clean()
    assert "organisation" in excinfo.value.message_dict


def test_agents_cannot_belong_to_a_customer():
    user = UserFactory.build(role=Role.AGENT)
    with pytest.raises(ValidationError):
        user.full_clean()


def test_team_lead_must_be_staff():
    contact = UserFactory()
    team = TeamFactory.build(lead=contact)
    team.organisation.save()
    team.organisation_id = team.organisation.pk
    with pytest.raises(ValidationError) as excinfo:
        team.full_clean()
    assert "lead" in excinfo.value.message_dict


def test_team_must_not_belong_to_a_customer():
    team = TeamFactory.build(organisation=OrganisationFactory())
    with pytest.raises(ValidationError) as excinfo:
        team.full_clean()
    assert "organisation" in excinfo.value.message_dict
