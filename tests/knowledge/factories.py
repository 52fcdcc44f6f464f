"""Knowledge base factories: articles are written and published through the services."""

from datetime import UTC, datetime

import factory

from accounts.models import Role
from knowledge import services
from knowledge.choices import ArticleStatus, Kind, Visibility
from tests.factories import AgentFactory, UserFactory

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
