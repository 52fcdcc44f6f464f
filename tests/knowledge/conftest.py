import pytest

from accounts.models import Role
from tests.factories import (
    AgentFactory,
    ContactFactory,
    OrganisationFactory,
    ResellerFactory,
    UserFactory,
    VendorFactory,
)
from tests.knowledge.factories import ArticleFactory


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def world(db):
    """A vendor with an agent and a manager, a reseller with its agent and its customer, and two
    direct customers; articles of every visibility."""
    vendor = VendorFactory()
    reseller = ResellerFactory()
    bakery = OrganisationFactory(name="Bäckerei Schröder", support_partner=reseller)
    mueller = OrganisationFactory(name="Müller Maschinenbau GmbH")
    acme = OrganisationFactory(name="Acme Tooling Inc.", language="en")
    people = {
        "agent": AgentFactory(organisation=vendor, language="en"),
        "manager": UserFactory(role=Role.MANAGER, organisation=vendor, language="en"),
        "partner-agent": AgentFactory(organisation=reseller, language="en"),
        "bakery": ContactFactory(organisation=bakery),
        "mueller": ContactFactory(organisation=mueller),
        "mueller-reader": UserFactory(role=Role.READER, organisation=mueller),
        "acme": ContactFactory(organisation=acme, language="en"),
    }
    articles = {
        "public": ArticleFactory(author=people["agent"], visibility="public", title_de="Öffentlich"),
        "customers": ArticleFactory(author=people["agent"], visibility="customers", title_de="Für Kunden"),
        "agents": ArticleFactory(author=people["agent"], visibility="agents", title_de="Nur intern"),
        "mueller-only": ArticleFactory(author=people["agent"], visibility="organisations", organisations=[mueller],
                                       title_de="Nur für Müller"),
        "reseller-private": ArticleFactory(author=people["partner-agent"], visibility="organisations",
                                           organisations=[reseller, bakery], title_de="Nur für Kunden der Partner"),
        "draft": ArticleFactory(author=people["agent"], visibility="customers", status="draft", title_de="Entwurf"),
        "archived": ArticleFactory(author=people["agent"], visibility="public", status="archived",
                                   title_de="Archiviert"),
    }
    return {"people": people, "articles": articles, "orgs": {"vendor": vendor, "reseller": reseller,
                                                             "bakery": bakery, "mueller": mueller, "acme": acme}}
