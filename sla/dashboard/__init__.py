"""The manager dashboard and the monthly customer report: reads only.

- `filters`: the dashboard's filter form and the `DashboardFilter` it yields (period, scope).
- `outcomes`: when a ticket's SLA target counts as met or breached, as database expressions.
- `selectors`: the dashboard figures, charts, tables and ticket lists, computed in the database.
- `percentiles`: the percentile (linear interpolation, like PostgreSQL's percentile_cont).
- `monthly`: the monthly report per organisation, with effort priced at the contract's rate.
- `exports`: CSV files for every table.

The views are in `sla.views_dashboard`, the routes in `sla.urls_dashboard` (namespace "dashboard").
"""
