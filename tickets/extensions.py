"""Hooks on the portal's filing form and the ticket pages for apps above `tickets` (which
`tickets` must not import), e.g. the knowledge base's suggestions while a customer files, and the
articles linked to a ticket. Sources register from an `AppConfig.ready()`; each renders its own
HTML (already escaped) or returns "" when it has nothing to show."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

PanelSource = Callable[..., str]  # (request=, token=) -> HTML beside the filing form
FiledHook = Callable[..., None]  # (request=, ticket=, token=) after a portal filing
SectionSource = Callable[..., str]  # (request=, ticket=) -> HTML on the ticket's page (customer and agent)

_PANELS: list[PanelSource] = []
_FILED: list[FiledHook] = []
_SECTIONS: list[SectionSource] = []


def _add(registry: list, source) -> None:
    if source not in registry:
        registry.append(source)


def filing_panel_register(source: PanelSource) -> None:
    _add(_PANELS, source)


def ticket_filed_register(hook: FiledHook) -> None:
    _add(_FILED, hook)


def ticket_section_register(source: SectionSource) -> None:
    _add(_SECTIONS, source)


def filing_panels_for(*, request, token: str) -> SafeString:
    return mark_safe("".join(source(request=request, token=token) for source in _PANELS))  # noqa: S308


def ticket_filed(*, request, ticket, token: str) -> None:
    for hook in _FILED:
        hook(request=request, ticket=ticket, token=token)


def ticket_sections_for(*, request, ticket) -> SafeString:
    return mark_safe("".join(source(request=request, ticket=ticket) for source in _SECTIONS))  # noqa: S308
