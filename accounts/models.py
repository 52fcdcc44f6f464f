"""Organisations, teams and people. Roles are a single field on the user; what each role may
do is decided in `accounts.access` only."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    class Kind(models.TextChoices):
        CUSTOMER = "customer", _("Customer")
        RESELLER = "reseller", _("Reseller")
        VENDOR = "vendor", _("Vendor (our company)")

    name = models.CharField(_("name"), max_length=200, unique=True)
    customer_number = models.CharField(_("customer number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CUSTOMER)
    country = models.CharField(
        _("country"),
        max_length=2,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Enter a two-letter ISO country code, e.g. DE."))],
        help_text=_("Two-letter ISO 3166 code, e.g. DE or US."),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="de")
    support_partner = models.ForeignKey(
        "self",
        verbose_name=_("support partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supported_organisations",
        limit_choices_to={"kind": Kind.RESELLER},
        help_text=_("The reseller that supports this organisation, if any."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.support_partner_id:
            if self.support_partner_id == self.pk:
                raise ValidationError({"support_partner": _("An organisation cannot support itself.")})
            if self.kind != self.Kind.CUSTOMER:
                raise ValidationError({"support_partner": _("Only customers can have a support partner.")})
            if self.support_partner.kind != self.Kind.RESELLER:
                raise ValidationError({"support_partner": _("The support partner must be a reseller.")})


class Role(models.TextChoices):
    CONTACT = "contact", _("Customer contact")
    READER = "reader", _("Customer reader")
    AGENT = "agent", _("Agent")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")


CUSTOMER_ROLES = frozenset({Role.CONTACT, Role.READER})
STAFF_ROLES = frozenset({Role.AGENT, Role.MANAGER, Role.ADMIN})


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CONTACT)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # Mail to this address came back as undeliverable (a delivery status notification that
    # `api.inbound` received): when, and the receiving server's words. Cleared by an administrator.
    mail_bounced_at = models.DateTimeField(_("mail bounced at"), null=True, blank=True)
    mail_bounce_reason = models.CharField(_("bounce reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        if self.role in CUSTOMER_ROLES:
            if self.organisation is None or self.organisation.kind != Organisation.Kind.CUSTOMER:
                raise ValidationError(
                    {"organisation": _("Customer contacts and readers belong to a customer organisation.")}
                )
        elif self.role in (Role.AGENT, Role.MANAGER) and (
            self.organisation is None or self.organisation.kind == Organisation.Kind.CUSTOMER
        ):
            raise ValidationError({"organisation": _("Agents and managers belong to the vendor or a reseller.")})


class Team(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("short name"), max_length=50, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="teams",
        limit_choices_to={"kind__in": [Organisation.Kind.VENDOR, Organisation.Kind.RESELLER]},
        help_text=_("The vendor or reseller whose agents work in this team."),
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("agents"), related_name="teams", blank=True
    )
    email = models.EmailField(_("team e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    auto_assign = models.BooleanField(
        _("assign new tickets automatically"),
        default=False,
        help_text=_("A new ticket routed to this team goes to the available agent with the least open load."),
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.organisation_id and self.organisation.kind == Organisation.Kind.CUSTOMER:
            raise ValidationError({"organisation": _("Teams belong to the vendor or a reseller.")})
        if self.lead_id and self.lead.role not in STAFF_ROLES:
            raise ValidationError({"lead": _("The team lead must be an agent or a manager.")})


class Absence(models.Model):
    """An agent is away from `starts_on` to `ends_on` (both days included): auto-assignment skips
    them on those days (`tickets.services.auto_assignment`)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        SICK = "sick", _("Sick leave")
        OTHER = "other", _("Other absence")

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.CASCADE, related_name="absences"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.HOLIDAY)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["starts_on", "pk"]
        indexes = [models.Index(fields=["agent", "ends_on"], name="absence_agent_ends_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="absence_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agent} {self.starts_on} - {self.ends_on}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The absence cannot end before it starts.")})
        if self.agent_id and self.agent.role not in STAFF_ROLES:
            raise ValidationError({"agent": _("Only agents and managers can be recorded as absent.")})


class AssignmentTurn(models.Model):
    """When an agent last received a ticket of a team automatically: `turn` counts up per team, so
    among agents of equal load the one whose turn lies furthest back comes first (round robin)."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.CASCADE,
                              related_name="+")
    turn = models.PositiveBigIntegerField(_("turn"), default=0)

    class Meta:
        verbose_name = _("assignment turn")
        verbose_name_plural = _("assignment turns")
        constraints = [models.UniqueConstraint(fields=["team", "agent"], name="assignment_turn_unique")]

    def __str__(self) -> str:
        return f"{self.team_id} {self.agent_id} {self.turn}"
