"""Who may do what in the knowledge base, built on `accounts.access`: agents write, managers publish."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts import access
from accounts.models import Organisation


def may_write(user) -> bool:
    return access.is_agent(user)


def may_publish(user) -> bool:
    return access.is_manager(user)


def audience_organisations_for(user) -> QuerySet[Organisation]:
    """The organisations an agent may restrict an article to, and whose restricted articles it
    sees: its own (a reseller's or the vendor's) and the customers it supports."""
    if not access.is_agent(user):
        return Organisation.objects.none()
    supported = access.organisations_for(user).values("pk")
    if user.organisation_id:
        return Organisation.objects.filter(pk__in=supported) | Organisation.objects.filter(pk=user.organisation_id)
    return Organisation.objects.filter(pk__in=supported)
