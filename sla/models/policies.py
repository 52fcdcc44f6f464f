"""Service-level policies (targets per severity on a calendar) and the contracts that give an
organisation its policy, with per-category overrides."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sla.choices import Category, Severity, Status
from sla.validators import validate_target

from .calendars import Calendar


def default_pause_statuses() -> list[str]:
    return [Status.WAITING_ON_CUSTOMER.value]


class Policy(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("short name"), max_length=50, unique=True)
    calendar = models.ForeignKey(
        Calendar, verbose_name=_("business calendar"), on_delete=models.PROTECT, related_name="policies"
    )
    warning_threshold_percent = models.PositiveSmallIntegerField(
        _("warning threshold (%)"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("A ticket is at risk once this share of a target's business time has been used."),
    )
    post_breach_after = models.CharField(
        _("escalate again after"),
        max_length=20,
        blank=True,
        validators=[validate_target],
        help_text=_(
            "Business time after a missed deadline when managers are told again (e.g. 2h or 1d); "
            "empty for no further escalation."
        ),
    )
    pause_statuses = models.JSONField(
        _("statuses that pause the resolution clock"),
        default=default_pause_statuses,
        blank=True,
        help_text=_("Status codes; by default only “waiting on customer”."),
    )

    class Meta:
        verbose_name = _("service-level policy")
        verbose_name_plural = _("service-level policies")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(warning_threshold_percent__gte=1, warning_threshold_percent__lte=99),
                name="sla_policy_warning_threshold_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        statuses = self.pause_statuses
        if not isinstance(statuses, list) or any(code not in Status.values for code in statuses):
            raise ValidationError({"pause_statuses": _("Choose only known ticket statuses.")})
        closing = {Status.RESOLVED.value, Status.CLOSED.value}
        if closing.intersection(statuses):
            raise ValidationError({"pause_statuses": _("Resolved and closed tickets have no running clock to pause.")})


class PolicyTarget(models.Model):
    """The promised reaction (and, where the SLA says so, resolution) per severity."""

    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="targets")
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices)
    reaction_target = models.CharField(
        _("reaction target"),
        max_length=20,
        validators=[validate_target],
        help_text=_("Business time (6h, 90m) or working days (1.5d) within the calendar's support hours."),
    )
    resolution_target = models.CharField(
        _("resolution target"),
        max_length=20,
        blank=True,
        validators=[validate_target],
        help_text=_("Only where the service level agreement guarantees a resolution time."),
    )
    next_reply_target = models.CharField(
        _("next-reply target"),
        max_length=20,
        blank=True,
        validators=[validate_target],
        help_text=_(
            "Business time within which each customer message after the first reaction is answered; "
            "empty for no such promise."
        ),
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["policy", "severity"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "severity"], name="sla_policytarget_one_per_severity"),
        ]

    def __str__(self) -> str:
        return f"{self.policy} · {self.get_severity_display()}"


class Contract(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="sla_contracts",
    )
    policy = models.ForeignKey(
        Policy, verbose_name=_("service-level policy"), on_delete=models.PROTECT, related_name="contracts"
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Inclusive. Leave empty for a contract without end.")
    )
    daily_rate = models.DecimalField(
        _("daily rate (EUR)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Agreed rate per day of effort (Tagessatz), for the monthly effort report."),
    )
    hours_per_day = models.DecimalField(
        _("hours per day"),
        max_digits=4,
        decimal_places=2,
        default=8,
        validators=[MinValueValidator(0.25), MaxValueValidator(24)],
        help_text=_("How many hours of effort make one billable day."),
    )

    class Meta:
        verbose_name = _("support contract")
        verbose_name_plural = _("support contracts")
        ordering = ["organisation", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
                name="sla_contract_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.policy}"

    def clean(self) -> None:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The contract cannot end before it starts.")})
        if self.organisation_id and self.valid_from:
            other = self.overlapping_contract()
            if other is not None:
                raise ValidationError(
                    {
                        "valid_from": _(
                            "This period overlaps the organisation's contract “%(contract)s” valid from "
                            "%(start)s until %(end)s."
                        )
                        % {
                            "contract": other.policy,
                            "start": other.valid_from.isoformat(),
                            "end": other.valid_until.isoformat() if other.valid_until else _("open end"),
                        }
                    }
                )

    def overlapping_contract(self) -> "Contract | None":
        """Another contract of the organisation whose validity shares a day with this one's
        [valid_from, valid_until] (the one starting first), or None."""
        contracts = Contract.objects.filter(organisation=self.organisation).select_related("policy")
        if self.pk is not None:
            contracts = contracts.exclude(pk=self.pk)
        contracts = contracts.filter(models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=self.valid_from))
        if self.valid_until is not None:
            contracts = contracts.filter(valid_from__lte=self.valid_until)
        return contracts.order_by("valid_from").first()


class ContractOverride(models.Model):
    """A different policy for one ticket category, e.g. point-of-sale faults on the POS policy."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="overrides"
    )
    category = models.CharField(_("ticket category"), max_length=20, choices=Category.choices)
    policy = models.ForeignKey(
        Policy, verbose_name=_("service-level policy"), on_delete=models.PROTECT, related_name="overrides"
    )

    class Meta:
        verbose_name = _("category override")
        verbose_name_plural = _("category overrides")
        ordering = ["contract", "category"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "category"], name="sla_contractoverride_one_per_category"),
        ]

    def __str__(self) -> str:
        return f"{self.contract} · {self.get_category_display()} → {self.policy}"
