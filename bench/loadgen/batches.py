"""Batches of the plan (`plan.PLAN`), made in worker processes: each batch has its own random
stream and its own block of comment ids, so the result does not depend on which process made it,
or when."""

from __future__ import annotations

import random

from bench.loadgen.copytext import copy_text
from bench.loadgen.plan import MAX_COMMENTS, PLAN
from bench.loadgen.rows import TicketGenerator


def generate_batch(index: int) -> tuple[int, dict[str, list[dict]]]:
    """Batch `index` of the plan: its tickets with their histories, as rows per table."""
    plan = PLAN
    rng = random.Random(f"{plan['seed']}:{index}")
    generator = TicketGenerator(rng=rng, now=plan["now"], organisations=plan["organisations"])
    first, last = index * plan["batch"], min((index + 1) * plan["batch"], plan["count"])
    next_comment = [plan["comment_base"] + index * plan["batch"] * MAX_COMMENTS]

    def comment_id():
        next_comment[0] += 1
        return next_comment[0]

    batch = {"tickets": [], "comments": [], "events": [], "time_entries": [], "escalations": []}
    for offset in range(first, last):
        ticket_id = plan["ticket_base"] + offset
        made = generator.generate(ticket_id=ticket_id, reference=plan["references"][offset],
                                  reported_at=plan["instants"][offset], next_comment_id=comment_id)
        batch["tickets"].append(made.ticket)
        batch["comments"].extend(made.comments)
        batch["events"].extend(made.events)
        batch["time_entries"].extend(made.time_entries)
        batch["escalations"].extend(made.escalations)
    return index, batch


def generate_batch_as_copy(index: int) -> tuple[int, dict[str, str], dict[str, int]]:
    """`generate_batch`, encoded for COPY in the worker (the parent only streams text)."""
    index, batch = generate_batch(index)
    columns, defaults = PLAN["columns"], PLAN["defaults"]
    texts = {}
    for name, rows in batch.items():
        missing = [column for column in columns[name] if rows and column not in rows[0]]
        if missing:  # columns the generator does not write: the model's defaults, as with bulk_create
            fill = {column: defaults[name][column] for column in missing}
            rows = [{**fill, **row} for row in rows]
        texts[name] = copy_text(columns[name], rows)
    return index, texts, {name: len(rows) for name, rows in batch.items()}
