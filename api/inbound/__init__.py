"""Inbound e-mail: parse an RFC 822 message, keep loops out, decide whom it acts as (`trust`:
a reply token, or a customer our mail server authenticated; docs/mail-trust.md), and turn it into
a ticket or a public reply through `tickets.services` — or hold it for an agent's review
(`review`). Entry point: `mail_ingest`."""

from .service import IngestResult, mail_ingest

__all__ = ["IngestResult", "mail_ingest"]
