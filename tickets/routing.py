"""Which team receives a new ticket. The rule, in order:

1. An end customer of a reseller (organisation.support_partner set) always goes to the
   reseller: its `TeamRoute` for the category or default, if that team belongs to the
   reseller, else the reseller's first active team by name.
2. Otherwise the organisation's `TeamRoute` for the ticket's category,
3. else its default route (empty category),
4. else no team: the ticket waits in the unrouted queue.

Demo: Müller → de-1st-level, Acme → us-desk, Frischmarkt faults and data loss → pos-hotline
(its other requests → de-1st-level), Bäckerei Schröder → PartnerSoft Support."""

from django.db import router

from accounts.models import Organisation, Team
from helpdesk import rawsql
from tickets.models import TeamRoute

# Asked for every new ticket: written out (helpdesk.rawsql), as TeamRoute.objects.filter(
# organisation=…, category__in=[category, ""], team__is_active=True).select_related("team");
# tests/tickets/test_tickets_routing.py compares the two.
_ROUTES_SQL = """
SELECT {team}, r."category"
FROM "tickets_teamroute" r
JOIN "accounts_team" t ON t."id" = r."team_id"
WHERE r."organisation_id" = %s AND r."category" IN (%s, '') AND t."is_active"
"""
_ROUTES_STATEMENT = _ROUTES_SQL.format(team=rawsql.select(Team, "t"))


def active_routes(*, organisation: Organisation, category: str) -> dict[str, Team]:
    """{category or "" for the default: team} of the organisation's routes to active teams."""
    rows = rawsql.fetch_all(_ROUTES_STATEMENT, [organisation.pk, category], [Team],
                            using=router.db_for_read(TeamRoute))
    return {route_category: team for team, route_category in rows}


def team_for(*, organisation: Organisation, category: str) -> Team | None:
    routes = active_routes(organisation=organisation, category=category)
    routed = routes.get(category) or routes.get("")
    if organisation.support_partner_id:
        if routed is not None and routed.organisation_id == organisation.support_partner_id:
            return routed
        return Team.objects.filter(organisation_id=organisation.support_partner_id, is_active=True).order_by(
            "name"
        ).first()
    return routed
