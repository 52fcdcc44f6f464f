"""A helper shared by the `*_update` services of the SLA app."""

from collections.abc import Iterable, Mapping

from django.db import models


def fields_update(*, instance: models.Model, data: Mapping[str, object], allowed: Iterable[str],
                  service: str, always_save: Iterable[str] = ()) -> list[str]:
    """Set the fields of `data` that differ on `instance`, validate and save them.

    Returns the names of the changed fields; an empty list (a no-op) writes nothing. A field
    outside `allowed` is a programming error and raises ValueError naming the service."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"{service} cannot change {sorted(unknown)}")
    changed = [field for field, value in data.items() if getattr(instance, field) != value]
    if not changed:
        return changed
    for field in changed:
        setattr(instance, field, data[field])
    instance.full_clean()
    instance.save(update_fields=[*changed, *always_save])
    return changed
