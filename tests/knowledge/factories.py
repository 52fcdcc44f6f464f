"""Knowledge base factories: articles are written and published through the services."""

from datetime import UTC, datetime

import factory

from accounts.models import Role
from knowledge import services
from knowledge.choices import ArticleStatus, Kind, Visibility
from tests.factories import (
    AgentFactory,
    ContactFactory,
    OrganisationFactory,
    ResellerFactory,
    UserFactory,
    VendorFactory,
)

NOW = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "knowledge.Category"

    slug = factory.Sequence(lambda n: f"kassensystem-{n}")
    name_de = factory.Sequence(lambda n: f"Kassensystem {n} (Größe)")
    name_en = factory.Sequence(lambda n: f"Point of sale {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "knowledge.Article"
        skip_postgeneration_save = True

    author = factory.SubFactory(AgentFactory)
    kind = Kind.HOWTO
    visibility = Visibility.CUSTOMERS
    title_de = factory.Sequence(lambda n: f"Prüfstand Süd meldet Fehler {n}")
    body_de = "Öffnen Sie die Übersicht und wählen Sie „Neu starten“."
    title_en = factory.Sequence(lambda n: f"Test bench south reports error {n}")
    body_en = "Open the overview and choose “Restart”."
    status = ArticleStatus.PUBLISHED
    organisations = ()
    category = None

    @classmethod
    def _create(cls, model_class, *args, author, status, **kwargs):
        article = services.article_create(actor=author, now=NOW, **kwargs)
        publisher = UserFactory(role=Role.MANAGER, organisation=author.organisation)
        if status == ArticleStatus.PUBLISHED:
            article, _ = services.article_publish(article=article, actor=publisher, now=NOW)
        elif status == ArticleStatus.ARCHIVED:
            article, _ = services.article_archive(article=article, actor=publisher, now=NOW)
        return article


def knowledge_world():
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
