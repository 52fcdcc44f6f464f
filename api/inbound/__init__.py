"""Inbound e-mail: parse an RFC 822 message, keep loops out, and turn a known contact's mail
into a ticket or a public reply through `tickets.services`. Entry point: `mail_ingest`."""

from .service import IngestResult, mail_ingest

__all__ = ["IngestResult", "mail_ingest"]
