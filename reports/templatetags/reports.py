"""Number formats of the dashboard and the monthly report (in the reader's language)."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()
DASH = "\u2013"


@register.filter
def percent(value) -> str:
    """83.3 → "83,3 %" (German) / "83.3 %"; a dash when nothing was decided."""
    if value is None:
        return format_html('<span class="text-body-secondary" title="{}">{}</span>', _("nothing decided"), DASH)
    return format_html("{}\u00a0%", number_format(value, decimal_pos=1))


@register.filter
def decimal(value, places: int = 2) -> str:
    """A Decimal with a fixed number of places in the reader's format; a dash for None."""
    if value is None:
        return DASH
    return number_format(value, decimal_pos=int(places))
