"""The manager dashboard and the monthly customer report: reads only.

- `filters`: the dashboard's filter form and the `DashboardFilter` it yields (period, scope).
- `outcomes`: when a ticket's SLA target counts as met or breached, as database expressions.
- `scan`: the one statement that computes every figure, chart series and group table.
- `selectors`: the public reads (`dashboard`, `dashboard_figures`, ...); `lists`: the two ticket lists.
- `percentiles`: the percentile (linear interpolation, like PostgreSQL's percentile_cont).
- `monthly`: the monthly report per organisation, with effort priced at the contract's rate.
- `exports`: CSV files for every table; `charts`: the key figures and chart data as shown.

The views are in `views`, the routes in `urls` (namespace "dashboard", under /dashboard/), the number
formats of the templates in `templatetags/reports.py` (`{% load reports %}`).
"""
