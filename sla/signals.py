"""What the SLA configuration tells the apps above it. `sla` knows nothing of tickets: the apps
that keep deadlines on a calendar subscribe here (tickets: `tickets.apps`)."""

from django.dispatch import Signal

# Sent once per calendar after the transaction that changed its hours, holidays or closures
# committed; argument `calendar_id`. Receivers recompute what depends on the calendar.
calendar_changed = Signal()
