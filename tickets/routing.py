"""Which team receives a new ticket. The rule, in order:

1. An end customer of a reseller (organisation.support_partner set) always goes to the
   reseller: its `TeamRoute` for the category or default, if that team belongs to the
   reseller, else the reseller's first active team by name.
2. Otherwise the organisation's `TeamRoute` for the ticket's category,
3. else its default route (empty category),
4. else no team: the ticket waits in the unrouted queue.

A route to an inactive team counts as no route.

Demo: Müller → de-1st-level, Acme → us-desk, Frischmarkt faults and data loss → pos-hotline
(its other requests → de-1st-level), Bäckerei Schröder → PartnerSoft Support.

`team_for` is the rule's only definition. Asked for every new ticket, so its one read is written
out (core.rawsql): building the equivalent querysets cost more CPU than the rest of a filing
(bench/api_create.py). tests/tickets/test_routing_statement.py checks `team_for` against the rule
over generated organisations, resellers, teams and routes."""

from django.db import router

from accounts.models import Organisation, Team
from core import rawsql
from tickets.models import TeamRoute


@rawsql.statement
def _candidates_statement(names: rawsql.Names) -> str:
    """Params: organisation id, category, support partner id (None without one).

    Rows (team, route category): the organisation's routes for the category and the default ("")
    to active teams, then the support partner's first active team by name (category NULL)."""
    n = names.column
    return f"""
SELECT {names.select(Team, "t")}, {n("r", TeamRoute, "category")}
FROM {names.table(TeamRoute)} r
JOIN {names.table(Team)} t ON {n("t", Team, "pk")} = {n("r", TeamRoute, "team")}
WHERE {n("r", TeamRoute, "organisation")} = %s AND {n("r", TeamRoute, "category")} IN (%s, '')
  AND {n("t", Team, "is_active")}
UNION ALL
SELECT * FROM (
    SELECT {names.select(Team, "t")}, NULL FROM {names.table(Team)} t
    WHERE {n("t", Team, "organisation")} = %s AND {n("t", Team, "is_active")}
    ORDER BY {n("t", Team, "name")} LIMIT 1
) partner_team
"""  # noqa: S608 (only quoted names from the models are interpolated; values are parameters)


def team_for(*, organisation: Organisation, category: str) -> Team | None:
    """The team that receives a new ticket of `category` filed for `organisation` (None: unrouted)."""
    using = router.db_for_read(TeamRoute)
    rows = rawsql.fetch_all(
        _candidates_statement(using), [organisation.pk, category, organisation.support_partner_id], [Team],
        using=using,
    )
    routes = {route_category: team for team, route_category in rows if route_category is not None}
    routed = routes.get(category) or routes.get("")
    if organisation.support_partner_id:
        if routed is not None and routed.organisation_id == organisation.support_partner_id:
            return routed
        return next((team for team, route_category in rows if route_category is None), None)
    return routed
