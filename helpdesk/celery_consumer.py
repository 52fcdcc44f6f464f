"""The worker's consumer (`CELERY_WORKER_CONSUMER`): Celery's, with a fix for a crash after a
broker outage in celery 5.7.0 / kombu 5.7.0 on Redis (docs/escalation.md, "Broker outages").

When the connection to Redis breaks, the consumer calls `connection.collect()` and then, new in
celery 5.7.0, `connection.close()` on the same connection. `collect()` closes the channels, drops
the transport's `client` (`transport.client = None`) but keeps the connection's default channel.
If closing that channel failed half-way the first time (its BRPOP was in flight, which is the case
while the worker has a free pool slot), `close()` closes it again: it restores the unacknowledged
message of the task still running, builds a new Redis pool from the transport's `client`, which is
None, and raises `AttributeError: 'NoneType' object has no attribute 'hostname'`. That is not a
connection error, so the worker stops with "Unrecoverable error".

The fix: after `collect()` the connection forgets its default channel, so the second close has
nothing to close. What that channel did not restore, Redis redelivers after the visibility
timeout (acks_late), as after any other lost connection."""

from __future__ import annotations

from celery.worker.consumer import Consumer as CeleryConsumer


def forget_channels_after_collect(connection) -> None:
    """Wrap `connection.collect` so that the connection drops its default channel afterwards."""
    collect = connection.collect
    if getattr(collect, "forgets_channels", False):
        return

    def collect_and_forget(*args, **kwargs):
        try:
            return collect(*args, **kwargs)
        finally:
            connection._default_channel = None  # its transport has no client any more

    collect_and_forget.forgets_channels = True
    connection.collect = collect_and_forget


class Consumer(CeleryConsumer):
    def on_connection_error_after_connected(self, exc) -> None:
        if self.connection is not None:
            forget_channels_after_collect(self.connection)
        super().on_connection_error_after_connected(exc)
