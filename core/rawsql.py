"""Rows of hand-written SQL as model instances, for the few statements on the hottest path.

Building a queryset with joins costs Django about 0.3-0.5 ms of CPU before the database sees it.
Filing a ticket through the API (bench/api_create.py: 200 a second on two cores) cannot afford
that for each of its lookups, so those statements are written out once, in the app that owns the
rule, and are that rule's only definition (its callers off the filing path use it too):

- `statement` builds the text once per database from the models: every table and column name
  comes from `Model._meta` (`Names.table`, `Names.column`, `Names.select`), quoted by that
  database's `quote_name`, so a renamed table or column cannot leave a stale name behind;
- `fetch_one` / `fetch_all` run it, and `instances` turns the row back into model instances with
  the same converters a queryset applies (JSON, SQLite's dates and times), so callers get
  ordinary, saved instances.

Each statement has a test over generated data that checks it against its rule."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connections


class Names:
    """Quoted table and column names of models, for writing a statement for one database."""

    def __init__(self, using: str = "default") -> None:
        self.quote = connections[using].ops.quote_name

    def table(self, model) -> str:
        """The model's table, quoted."""
        return self.quote(model._meta.db_table)

    def column(self, alias: str, model, field: str) -> str:
        """`alias."column"` of the model's field `field` (a name, e.g. "organisation" gives its
        "organisation_id"; "pk" the primary key)."""
        found = model._meta.pk if field == "pk" else model._meta.get_field(field)
        return f"{alias}.{self.quote(found.column)}"

    def select(self, model, alias: str) -> str:
        """Every column of `model`, in field order, as `alias."column"` (a SELECT list for `instances`)."""
        return ", ".join(f"{alias}.{self.quote(field.column)}" for field in model._meta.concrete_fields)


def statement(build: Callable[[Names], str]) -> Callable[[str], str]:
    """Decorator: `build(names)` writes the statement; the result gives its text for a database
    alias, built on first use and kept."""
    texts: dict[str, str] = {}

    def text(using: str = "default") -> str:
        found = texts.get(using)
        if found is None:
            found = texts[using] = build(Names(using))
        return found

    text.__doc__ = build.__doc__
    text.__name__ = build.__name__
    return text


_converters: dict[tuple, list] = {}


def _field_converters(model, connection) -> list:
    """[(column expression, converters)] per concrete field of `model`, as a queryset on this kind
    of database converts its values (cached per process)."""
    key = (model, connection.vendor)
    plan = _converters.get(key)
    if plan is None:
        plan = []
        for field in model._meta.concrete_fields:
            column = field.get_col(model._meta.db_table)
            plan.append((column, connection.ops.get_db_converters(column) + field.get_db_converters(connection)))
        _converters[key] = plan
    return plan


def _instance(model, values, connection):
    converted = []
    for (column, converters), value in zip(_field_converters(model, connection), values, strict=True):
        if value is not None:
            for converter in converters:
                value = converter(value, column, connection)
        converted.append(value)
    return model.from_db(connection.alias, [field.attname for field in model._meta.concrete_fields], converted)


def instances(row, models, *, using: str = "default") -> tuple:
    """Split `row` (the columns of `Names.select(model, …)` for each of `models`, in order, then any
    further values) into instances; a model whose primary key is NULL (an outer join that found
    nothing) gives None. Returns the instances followed by the further values."""
    connection = connections[using]
    result, start = [], 0
    for model in models:
        end = start + len(model._meta.concrete_fields)
        values = row[start:end]
        primary_key = model._meta.concrete_fields.index(model._meta.pk)
        result.append(None if values[primary_key] is None else _instance(model, values, connection))
        start = end
    return (*result, *row[start:])


def fetch_one(sql: str, params, models, *, using: str = "default") -> tuple | None:
    """Run `sql` and return `instances` of its first row, or None without one."""
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else instances(row, models, using=using)


def fetch_all(sql: str, params, models, *, using: str = "default") -> list[tuple]:
    """Run `sql` and return `instances` of each row."""
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [instances(row, models, using=using) for row in rows]
