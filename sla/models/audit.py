"""The audit trail of the SLA configuration: one row per change of a calendar, its opening hours,
holidays and closures, a policy and its targets, a contract and its category overrides — written by
`sla.services` (the one place that writes this configuration) in the transaction of the change.

Rows store codes and raw values (JSON of the changed fields only: created rows list every field as
new, deleted rows every field as old); the audit page renders them in the reader's language."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SlaChange(models.Model):
    class Kind(models.TextChoices):
        CALENDAR = "calendar", _("business calendar")
        OPENING_HOURS = "opening_hours", _("opening hours")
        HOLIDAY = "holiday", _("holiday")
        CLOSURE = "closure", _("closure")
        POLICY = "policy", _("service-level policy")
        POLICY_TARGET = "policy_target", _("target")
        CONTRACT = "contract", _("support contract")
        CONTRACT_OVERRIDE = "contract_override", _("category override")

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        CHANGED = "changed", _("changed")
        DELETED = "deleted", _("deleted")

    at = models.DateTimeField(_("at"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    # Where the change came from: "admin", "command:<name>" (actor None) or empty (a service call).
    origin = models.CharField(_("origin"), max_length=60, blank=True)
    object_kind = models.CharField(_("object kind"), max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("object id"))
    # The object as it was named at the time (names are data, not translations).
    object_repr = models.CharField(_("object"), max_length=300)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    old_values = models.JSONField(_("old values"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    new_values = models.JSONField(_("new values"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("SLA configuration change")
        verbose_name_plural = _("SLA configuration changes")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["object_kind", "object_id", "at"], name="sla_change_object_idx"),
            models.Index(fields=["actor", "at"], name="sla_change_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.object_kind} {self.object_id} {self.action}"
