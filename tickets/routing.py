"""Which team receives a new ticket. The rule, in order:

1. An end customer of a reseller (organisation.support_partner set) always goes to the
   reseller: its `TeamRoute` for the category or default, if that team belongs to the
   reseller, else the reseller's first active team by name.
2. Otherwise the organisation's `TeamRoute` for the ticket's category,
3. else its default route (empty category),
4. else no team: the ticket waits in the unrouted queue.

Demo: Müller → de-1st-level, Acme → us-desk, Frischmarkt faults and data loss → pos-hotline
(its other requests → de-1st-level), Bäckerei Schröder → PartnerSoft Support."""

from accounts.models import Organisation, Team
from tickets.models import TeamRoute


def team_for(*, organisation: Organisation, category: str) -> Team | None:
    routes = {
        route.category: route.team
        for route in TeamRoute.objects.filter(organisation=organisation, category__in=[category, ""],
                                              team__is_active=True).select_related("team")
    }
    routed = routes.get(category) or routes.get("")
    if organisation.support_partner_id:
        if routed is not None and routed.organisation_id == organisation.support_partner_id:
            return routed
        return Team.objects.filter(organisation_id=organisation.support_partner_id, is_active=True).order_by(
            "name"
        ).first()
    return routed
