"""The ticket and its per-year reference counter.

No domain logic here: every write goes through `tickets.services`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from sla.choices import Category, Severity, SlaState, Status, TargetState
from tickets.choices import Channel
from tickets.sla_expressions import QUEUE_BUCKET, QUEUE_SORT_AT

# The agent queue's order is kept by the database itself: stored generated columns, so no writer
# can forget it (`tickets.sla_expressions`, the clock's `queue_position`; `tickets.selectors_queue`).


class Ticket(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("what happened"), help_text=_("Markdown"))
    occurring_since = models.CharField(_("since when"), max_length=200, blank=True)
    steps_to_reproduce = models.TextField(_("steps to reproduce"), blank=True)
    impact = models.TextField(_("impact"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True)
    affected_system = models.CharField(_("affected system or product"), max_length=200, blank=True)

    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="tickets"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requested_tickets",
        help_text=_("Empty for tickets that a device or monitoring tool reported on its own."),
    )
    callback_phone = models.CharField(_("call-back phone"), max_length=40, blank=True)
    remote_session_id = models.CharField(_("remote-maintenance session id"), max_length=100, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.PORTAL)

    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True)

    workaround = models.TextField(_("workaround"), blank=True, help_text=_("Markdown, shown to the customer."))
    fixed_in_release = models.CharField(_("permanent fix in release"), max_length=50, blank=True)
    # The same release as a product's version, when it is one: its publication tells the requester.
    fixed_release = models.ForeignKey(
        "products.Release", verbose_name=_("release with the permanent fix"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="fixed_tickets",
    )

    # Paid out-of-hours service: the notice exactly as shown, who accepted it and when.
    out_of_hours_notice = models.TextField(_("out-of-hours notice shown"), blank=True)
    out_of_hours_accepted_at = models.DateTimeField(_("out-of-hours service accepted at"), null=True, blank=True)
    out_of_hours_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("out-of-hours service accepted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # SLA bookkeeping: the tickets app sets first_reaction_at, resolved_at and closed_at;
    # the SLA side computes the deadlines and the state.
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now, db_index=True)
    reaction_due_at = models.DateTimeField(_("reaction due at"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due at"), null=True, blank=True)
    first_reaction_at = models.DateTimeField(_("first reaction at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    sla_state = models.CharField(
        _("SLA state"), max_length=10, choices=SlaState.choices, default=SlaState.NONE, db_index=True
    )

    # Snapshot of the promise at creation / severity change (`tickets.services.sla`): a later
    # change of the policy does not rewrite it. The calendar is the policy's calendar then.
    sla_policy = models.ForeignKey(
        "sla.Policy", verbose_name=_("service-level policy"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="tickets",
    )
    sla_calendar = models.ForeignKey(
        "sla.Calendar", verbose_name=_("business calendar"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="tickets",
    )
    reaction_target = models.CharField(_("reaction target"), max_length=20, blank=True)
    resolution_target = models.CharField(_("resolution target"), max_length=20, blank=True)
    warning_threshold_percent = models.PositiveSmallIntegerField(_("warning threshold (%)"), null=True, blank=True)
    post_breach_after = models.CharField(
        _("escalate again after"), max_length=20, blank=True,
        help_text=_("Business time after a missed deadline when managers are told again (the policy's, at filing)."),
    )
    # Outcome per target; empty = the ticket has no such target.
    reaction_state = models.CharField(
        _("reaction target state"), max_length=10, choices=TargetState.choices, blank=True
    )
    resolution_state = models.CharField(
        _("resolution target state"), max_length=10, choices=TargetState.choices, blank=True
    )
    reaction_business_seconds = models.PositiveIntegerField(
        _("business time to first reaction (s)"), null=True, blank=True
    )
    resolution_paused_seconds = models.PositiveIntegerField(_("resolution clock paused (business s)"), default=0)
    resolution_paused_since = models.DateTimeField(_("resolution clock paused since"), null=True, blank=True)
    reaction_warning_at = models.DateTimeField(_("reaction warning at"), null=True, blank=True)
    resolution_warning_at = models.DateTimeField(_("resolution warning at"), null=True, blank=True)
    # The earliest escalation level of an open target that has not fired yet (passed or not): the
    # escalation scan's cursor. The levels that fired are bits (`sla.engine.clock.level_bit`),
    # set only by the escalation scan, whose escalation rows say once-ever (a new next-reply cycle
    # clears its own bits).
    next_escalation_at = models.DateTimeField(_("next escalation check"), null=True, blank=True, db_index=True)
    escalations_fired = models.PositiveSmallIntegerField(_("escalation levels fired"), default=0, editable=False)
    # The next-reply target (docs/sla-semantics.md §8): its text (the policy's, snapshot like the
    # others) and the current, or last, cycle; every cycle also has a `NextReplyCycle` row (reports).
    next_reply_target = models.CharField(_("next-reply target"), max_length=20, blank=True, default="", db_default="")
    next_reply_cycle = models.PositiveIntegerField(_("next-reply cycle"), default=0, db_default=0, editable=False)
    next_reply_state = models.CharField(
        _("next-reply target state"), max_length=10, choices=TargetState.choices, blank=True, default="",
        db_default="",
    )
    next_reply_started_at = models.DateTimeField(_("next reply owed since"), null=True, blank=True)
    next_reply_due_at = models.DateTimeField(_("next reply due at"), null=True, blank=True)
    next_reply_warning_at = models.DateTimeField(_("next-reply warning at"), null=True, blank=True)
    next_reply_business_seconds = models.PositiveIntegerField(
        _("business time to the next reply (s)"), null=True, blank=True
    )
    next_reply_paused_seconds = models.PositiveIntegerField(
        _("next-reply clock paused (business s)"), default=0, db_default=0
    )
    next_reply_paused_since = models.DateTimeField(_("next-reply clock paused since"), null=True, blank=True)

    queue_bucket = models.GeneratedField(
        expression=QUEUE_BUCKET, output_field=models.SmallIntegerField(), db_persist=True, verbose_name=_("queue group")
    )
    queue_sort_at = models.GeneratedField(
        expression=QUEUE_SORT_AT,
        output_field=models.DateTimeField(),
        db_persist=True,
        verbose_name=_("queue position"),
    )

    # A duplicate merged into another ticket (`tickets.services.merging`): closed, with this link.
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="merged_tickets",
    )

    # The agents' free tags (`tickets.models.tags`, `tickets.services.tags`); customers never see them.
    tags = TaggableManager(through="tickets.TaggedTicket", blank=True, verbose_name=_("tags"),
                           help_text=_("The agents' labels, separated by commas."))

    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now, db_index=True)
    # A filing's idempotency key, scoped to who filed (`tickets.services.creation.filing_key`): a
    # repeat returns the first ticket instead of a second.
    idempotency_key = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-last_activity_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "-last_activity_at"], name="ticket_org_activity_idx"),
            # The agent queue: its order and its keyset pagination (tickets.selectors_queue).
            models.Index(fields=["queue_bucket", "queue_sort_at", "id"], name="ticket_queue_order_idx"),
            # An agent's repeated filing is found by its stored key (`tickets.services.creation`).
            models.Index(
                fields=["idempotency_key"], condition=~Q(idempotency_key=""), name="ticket_idempotency_key_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="ticket_unique_idempotency_key_per_requester",
            ),
            # Filings without a requester (an agent's, a device's) are unique by their stored key.
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=Q(requester__isnull=True) & ~Q(idempotency_key=""),
                name="ticket_unique_idempotency_key_without_requester",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"


class TicketCounter(models.Model):
    """One row per year; the row is locked while a reference is allocated."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ticket counter")
        verbose_name_plural = _("ticket counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"
