from django.db.models import Prefetch, QuerySet

from . import access
from .models import Organisation, Team, User


def organisation_detail(*, organisation_id: int) -> Organisation:
    return (
        Organisation.objects.select_related("support_partner")
        .prefetch_related(Prefetch("people", queryset=User.objects.filter(is_active=True)))
        .get(pk=organisation_id)
    )


def teams_visible_to(*, user) -> QuerySet[Team]:
    """Active teams with their lead and members; a reseller's agent sees its own teams only."""
    teams = Team.objects.filter(is_active=True).select_related("lead", "organisation")
    if access.is_reseller_agent(user):
        teams = teams.filter(organisation_id=user.organisation_id)
    return teams.prefetch_related(Prefetch("members", queryset=User.objects.order_by("last_name")))
