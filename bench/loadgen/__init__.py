"""Synthetic load data for the benchmarks: the app behind `manage.py generate_load`.

It BYPASSES THE SERVICES on purpose. A million tickets through `ticket_create` (one transaction,
reference lock, deadline computation, events and mail hand-off per ticket) would take hours; the
benchmarks need the data, not the bookkeeping. So this app writes plain rows: tickets with their
SLA bookkeeping replayed through the target clock (`sla.engine.clock`) event by event as the
services would have left it, the events and comments a real history would have (filed, assigned,
reaction, replies, notes, resolution), time entries, and the escalation levels a punctual scan
would have fired. No mail, no notifications. Never run it against a production database.

Deterministic: the same seed and counts give the same data (ids aside).

- `vocabulary`: the words and weights the rows are drawn from;
- `plan`: what the batches share (organisations, policies, report instants, references);
- `customers`: the organisations, people, teams and contracts the tickets belong to;
- `rows`: one ticket with its history; `targets`: its SLA bookkeeping replayed through the clock;
- `batches`: a batch of tickets per worker process; `copytext`: PostgreSQL's COPY text format;
- `writers`: COPY (PostgreSQL) or bulk_create (SQLite) into the database, indexes, sequences;
- `bench_ticket`: the one open ticket with a long history for the workspace benchmark.

Development only: installed when the source tree has it (helpdesk/settings.py); the container
image leaves `bench/` out."""
