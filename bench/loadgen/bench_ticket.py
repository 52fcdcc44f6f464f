"""The one open ticket with a long history that the workspace benchmark opens (`bench/queue_pages.py`)."""

from __future__ import annotations

from datetime import UTC, timedelta

from django.db import transaction

from bench.loadgen.plan import OrgInfo
from bench.loadgen.vocabulary import REPLIES_DE
from tickets.models import Comment, Ticket, TicketCounter, TicketEvent
from tickets.references import format_reference, reference_year


def bench_ticket(rng, seed, organisations: list[OrgInfo], events, now) -> str | None:
    """One open ticket with `events` history entries, for the workspace benchmark. Found again by
    its marker (`idempotency_key` "load:bench:<seed>"). Returns its reference."""
    if events <= 0:
        return None
    marker = f"load:bench:{seed}"
    existing = Ticket.objects.filter(idempotency_key=marker).first()
    if existing is not None:
        return existing.reference
    org = next(o for o in organisations if o.contacts and o.agents and o.language == "de")
    reported = now - timedelta(days=2)
    with transaction.atomic():
        counter = TicketCounter.objects.select_for_update().get_or_create(year=reference_year(reported))[0]
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        ticket = Ticket.objects.create(
            reference=format_reference(counter.year, counter.last_number),
            subject="Benchmark: Druckserver verliert Aufträge (lange Historie)",
            description="Ein Ticket mit langer Historie für den Benchmark des Arbeitsplatzes.",
            category="fault", severity="minor", organisation_id=org.id, requester_id=org.contacts[0],
            team_id=org.team_id, assignee_id=org.agents[0], status="in_progress", reported_at=reported,
            first_reaction_at=reported + timedelta(minutes=20), idempotency_key=marker,
        )
        comments, rows = [], []
        for index in range(events):
            at = reported + timedelta(minutes=30 + index * 7)
            internal = index % 3 == 2
            if index % 2 == 0:
                author = org.agents[0] if index % 4 == 0 else org.contacts[0]
                comments.append(Comment(
                    ticket=ticket, author_id=author, is_internal=internal and author in org.agents,
                    body=f"Nachricht {index}: {rng.choice(REPLIES_DE)}",
                ))
            rows.append(at)
        Comment.objects.bulk_create(comments)
        comment_iter = iter(Comment.objects.filter(ticket=ticket).order_by("pk"))
        event_rows = []
        for index in range(len(rows)):
            if index % 2 == 0:
                comment = next(comment_iter)
                code = "note_added" if comment.is_internal else "reply_added"
                event_rows.append(TicketEvent(ticket=ticket, code=code, actor_id=comment.author_id,
                                              payload={"comment_id": comment.pk}, is_public=not comment.is_internal,
                                              comment=comment))
            else:
                event_rows.append(TicketEvent(ticket=ticket, code="status_changed", actor_id=org.agents[0],
                                              payload={"old": "in_progress", "new": "waiting"} if index % 4 == 1
                                              else {"old": "waiting", "new": "in_progress"}))
        TicketEvent.objects.bulk_create(event_rows)
        # auto_now_add stamped "now": spread the history over the two days instead.
        for event, at in zip(TicketEvent.objects.filter(ticket=ticket).order_by("pk"), rows, strict=True):
            TicketEvent.objects.filter(pk=event.pk).update(created_at=at.astimezone(UTC))
    return ticket.reference
