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
from core import rawsql
from tickets.models import TeamRoute

# Asked for every new ticket, so written out (core.rawsql) as one statement: the routes to
# active teams, as TeamRoute.objects.filter(organisation=…, category__in=[category, ""],
# team__is_active=True).select_related("team"), and the support partner's first active team by name
# (category NULL), as Team.objects.filter(organisation=partner, is_active=True).order_by("name")
# .first(); tests/tickets/test_tickets_create.py compares them.
_CANDIDATES_SQL = """
SELECT {team}, r."category"
FROM "tickets_teamroute" r
JOIN "accounts_team" t ON t."id" = r."team_id"
WHERE r."organisation_id" = %s AND r."category" IN (%s, '') AND t."is_active"
UNION ALL
SELECT * FROM (
    SELECT {team}, NULL FROM "accounts_team" t WHERE t."organisation_id" = %s AND t."is_active"
    ORDER BY t."name" LIMIT 1
) partner_team
"""
_CANDIDATES_STATEMENT = _CANDIDATES_SQL.format(team=rawsql.select(Team, "t"))


def routing_candidates(*, organisation: Organisation, category: str) -> tuple[dict[str, Team], Team | None]:
    """({category, or "" for the default route: team} of the organisation's routes to active teams,
    the support partner's first active team by name or None)."""
    rows = rawsql.fetch_all(
        _CANDIDATES_STATEMENT, [organisation.pk, category, organisation.support_partner_id], [Team],
        using=router.db_for_read(TeamRoute),
    )
    routes = {route_category: team for team, route_category in rows if route_category is not None}
    partner_team = next((team for team, route_category in rows if route_category is None), None)
    return routes, partner_team


def team_for(*, organisation: Organisation, category: str) -> Team | None:
    routes, partner_team = routing_candidates(organisation=organisation, category=category)
    routed = routes.get(category) or routes.get("")
    if organisation.support_partner_id:
        if routed is not None and routed.organisation_id == organisation.support_partner_id:
            return routed
        return partner_team
    return routed
