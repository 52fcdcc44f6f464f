"""Tickets in and out of the API."""

from __future__ import annotations

import copy

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sla.choices import CATEGORIES_WITH_SEVERITY, Category, Severity, SlaState, Status, TargetState
from sla.engine import clock
from tickets.limits import COMMENT_MAX_LENGTH, TICKET_DESCRIPTION_MAX_LENGTH, TextLengthValidator
from tickets.models import Ticket
from tickets.services.filing_rules import AGENT_API_CHANNELS

from .common import MAX_ID, InstantField, RefField, StrictSerializer

# The channels an agent may give a ticket filed through the API (the rule: `tickets.services.filing_rules`).
AGENT_CHANNEL_CHOICES = [(c.value, c.label) for c in AGENT_API_CHANNELS]


class TicketSerializer(serializers.ModelSerializer):
    organisation = RefField()
    requester = RefField(allow_null=True)
    assignee = RefField(allow_null=True)
    team = RefField(allow_null=True)
    severity = serializers.ChoiceField(
        choices=Severity.choices, allow_blank=True, read_only=True, help_text=_("Empty for requests without one.")
    )
    next_reply_state = serializers.ChoiceField(
        choices=TargetState.choices, allow_blank=True, read_only=True,
        help_text=_("The current next-reply cycle (an answer owed to the customer's last message): open, met, "
                    "breached or paused; empty before the first one."),
    )
    sla_state = serializers.SerializerMethodField(
        help_text=_("The SLA state now: on_track, at_risk, breached, met, paused or none.")
    )
    merged_into = serializers.IntegerField(
        source="merged_into_id", read_only=True, allow_null=True,
        help_text=_("A duplicate merged into another ticket: that ticket's id (it is closed); else null."),
    )

    class Meta:
        model = Ticket
        fields = [
            "id", "reference", "subject", "description", "category", "severity", "status",
            "organisation", "requester", "assignee", "team", "channel",
            "affected_system", "occurring_since", "steps_to_reproduce", "impact",
            "callback_phone", "remote_session_id", "workaround", "fixed_in_release",
            "reported_at", "reaction_due_at", "resolution_due_at", "first_reaction_at",
            "resolved_at", "closed_at", "sla_state", "next_reply_state", "next_reply_due_at", "merged_into",
            "created_at", "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=SlaState.choices))
    def get_sla_state(self, ticket) -> str:
        now = self.context.get("now") or timezone.now()
        return clock.sla_state(ticket, now)

    # Per serializer class: what to read for each output field. The fields do not depend on the
    # request, so DRF's per-instance field construction (about a millisecond) runs once per process.
    _plans: dict[type, list] = {}

    def _plan(self) -> list:
        plan = self._plans.get(type(self))
        if plan is None:
            plan = []
            for name, field in self.fields.items():
                if name == "sla_state":
                    plan.append((name, None, None))
                elif isinstance(field, serializers.DateTimeField | RefField):
                    plan.append((name, name, field.to_representation))
                else:
                    plan.append((name, field.source, None))
            self._plans[type(self)] = plan
        return plan

    def to_representation(self, ticket):
        """The same output as DRF's generic loop, without its per-field overhead: a page of the
        list renders 50-200 tickets of 30 fields each."""
        data = {}
        for name, attribute, convert in self._plan():
            if attribute is None:
                data[name] = self.get_sla_state(ticket)
                continue
            value = getattr(ticket, attribute)
            data[name] = convert(value) if convert is not None and value is not None else value
        return data


class TicketCreateSerializer(StrictSerializer):
    """What a filing may send. A fault or data loss needs a severity; other categories have none
    (a severity sent with them is ignored)."""

    # Every filing builds one, so its fields are copied shallowly instead of DRF's deep copy (which
    # re-runs each field's constructor: a tenth of the request's CPU). The fields hold no
    # per-request state: validators, choices and messages are only read.

    schema_any_of = [
        {"properties": {"category": {"enum": sorted(CATEGORIES_WITH_SEVERITY)},
                        "severity": {"enum": Severity.values}},
         "required": ["severity"]},
        {"properties": {"category": {"enum": sorted(set(Category.values) - CATEGORIES_WITH_SEVERITY)}}},
    ]

    subject = serializers.CharField(max_length=200)
    description = serializers.CharField(
        help_text=_("Markdown."), validators=[TextLengthValidator(TICKET_DESCRIPTION_MAX_LENGTH)]
    )
    category = serializers.ChoiceField(choices=Category.choices)
    severity = serializers.ChoiceField(
        choices=Severity.choices, required=False, allow_blank=True,
        help_text=_("Required for faults and data loss; other categories have none (it is ignored)."),
    )
    affected_system = serializers.CharField(max_length=200, required=False, allow_blank=True)
    occurring_since = serializers.CharField(max_length=200, required=False, allow_blank=True)
    steps_to_reproduce = serializers.CharField(
        required=False, allow_blank=True, validators=[TextLengthValidator(TICKET_DESCRIPTION_MAX_LENGTH)]
    )
    impact = serializers.CharField(
        required=False, allow_blank=True, validators=[TextLengthValidator(TICKET_DESCRIPTION_MAX_LENGTH)]
    )
    callback_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    remote_session_id = serializers.CharField(max_length=100, required=False, allow_blank=True)
    organisation = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID,
        help_text=_("Agents: the customer organisation. Customers: their own (default)."),
    )
    requester = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID,
        help_text=_("Agents: a registered contact of the organisation (optional)."),
    )
    channel = serializers.ChoiceField(
        choices=AGENT_CHANNEL_CHOICES, required=False,
        help_text=_("Agents: api (default), phone or email."),
    )
    reported_at = InstantField(
        required=False, help_text=_("Agents, for phone and e-mail tickets: when the call or mail came in.")
    )
    idempotency_key = serializers.CharField(
        max_length=64, required=False, allow_blank=True,
        help_text=_("Repeat a request with the same key to get the first ticket instead of a second one."),
    )

    def get_fields(self):
        return {name: copy.copy(field) for name, field in self._declared_fields.items()}

    def validate(self, attrs):
        if attrs["category"] in CATEGORIES_WITH_SEVERITY and not attrs.get("severity"):
            raise serializers.ValidationError({"severity": [_("Please choose how severe the fault is.")]})
        return attrs


class TicketUpdateSerializer(StrictSerializer):
    """What may change after filing, at least one field. Each field goes to its service, which
    checks the role."""

    schema_extra = {"minProperties": 1}

    status = serializers.ChoiceField(choices=Status.choices, required=False)
    severity = serializers.ChoiceField(choices=Severity.choices, required=False, help_text=_("Agents."))
    assignee = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID, help_text=_("Agents.")
    )
    team = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID, help_text=_("Agents.")
    )
    workaround = serializers.CharField(
        required=False, help_text=_("Agents: moves the ticket to “workaround provided”."),
        validators=[TextLengthValidator(COMMENT_MAX_LENGTH)],
    )
    fixed_in_release = serializers.CharField(max_length=50, required=False, allow_blank=True, help_text=_("Agents."))

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(_("Send at least one field to change."))
        return attrs
