"""factory_boy factories. Defaults carry umlauts so encoding bugs show early."""

import factory

from accounts.models import Organisation, Role, Team, User
from api import keys


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Müller & Söhne Straßenbau {n} GmbH")
    customer_number = factory.Sequence(lambda n: f"K{n:05d}")
    kind = Organisation.Kind.CUSTOMER
    country = "DE"
    language = "de"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"jürgen{n}")
    first_name = "Jürgen"
    last_name = "Größ"
    email = factory.Sequence(lambda n: f"user{n}@example.com")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.CONTACT
    language = "de"
    password = factory.django.Password("geheim-Passwort-1")


class VendorFactory(OrganisationFactory):
    kind = Organisation.Kind.VENDOR
    name = factory.Sequence(lambda n: f"Nordlicht Software {n} GmbH")


class ResellerFactory(OrganisationFactory):
    kind = Organisation.Kind.RESELLER
    name = factory.Sequence(lambda n: f"Händler {n} GmbH")


class AgentFactory(UserFactory):
    role = Role.AGENT
    organisation = factory.SubFactory(VendorFactory)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Support Köln {n}")
    slug = factory.Sequence(lambda n: f"support-koeln-{n}")
    organisation = factory.SubFactory(VendorFactory)


class ContactFactory(UserFactory):
    """A customer contact (may file tickets)."""

    role = Role.CONTACT


class TicketFactory(factory.django.DjangoModelFactory):
    """Tickets are created through `tickets.services.ticket_create`, like every ticket."""

    class Meta:
        model = "tickets.Ticket"

    requester = factory.SubFactory(ContactFactory)
    organisation = factory.SelfAttribute("requester.organisation")
    subject = factory.Sequence(lambda n: f"Störung Nr. {n}: Drucker in der Größenprüfung")
    description = "Die Maschine meldet „Fehler 42“ beim Übertragen."
    category = "fault"
    severity = "minor"
    affected_system = "Prüfstand Süd"
    occurring_since = "heute früh"
    impact = "Die Qualitätsprüfung steht."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from tickets.services import ticket_create

        kwargs.setdefault("actor", kwargs["requester"])
        return ticket_create(**kwargs).ticket


class TeamRouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tickets.TeamRoute"

    organisation = factory.SubFactory(OrganisationFactory)
    category = ""
    team = factory.SubFactory(TeamFactory)


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """A stored token row; `secret` (not a field) is the key whose hash it stores."""

    class Meta:
        model = "api.ApiToken"
        exclude = ["secret"]

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"ERP-Schnittstelle {n}")
    secret = factory.Sequence(lambda n: f"hdt_generated-key-{n}")
    prefix = factory.LazyAttribute(lambda token: token.secret[:12])
    key_hash = factory.LazyAttribute(lambda token: keys.key_hash(token.secret))


class AdminFactory(UserFactory):
    """An administrator of the vendor (the Django admin and data protection)."""

    role = Role.ADMIN
    is_staff = True
    organisation = factory.SubFactory(VendorFactory)
