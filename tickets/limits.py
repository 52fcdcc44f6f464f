"""How long the free texts of a ticket may be: the same limits for every channel (docs/channels.md).

The services check them (`text_length_errors`), so no channel can store more; the portal's and the
agents' forms and the API's serializers check them first with the same message (naming the length
and the limit), and the API schema states them as `maxLength` (`TextLengthValidator` is a
`MaxLengthValidator`, which drf-spectacular reads). An inbound e-mail longer than the limit is
shortened, with a note saying so (`api.inbound.service`).

Lengths are counted in characters after surrounding white space is removed, as stored."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.translation import gettext as _

# A ticket's description, and its steps to reproduce and impact.
TICKET_DESCRIPTION_MAX_LENGTH = 20_000
# A reply or internal note, and the workaround shown to the customer.
COMMENT_MAX_LENGTH = 20_000


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


def too_long_message(*, length: int, limit: int) -> str:
    return _(
        "This text has %(length)s characters; at most %(limit)s are allowed. Please shorten it or attach "
        "the rest as a file."
    ) % {"length": _number(length), "limit": _number(limit)}


@deconstructible
class TextLengthValidator(MaxLengthValidator):
    """At most `limit_value` characters, with a message that names the length and the limit."""

    def __call__(self, value):
        length = len(value or "")
        if length > self.limit_value:
            raise ValidationError(too_long_message(length=length, limit=self.limit_value), code="max_length")


def text_length_errors(texts: dict[str, tuple[str, int]]) -> dict[str, str]:
    """{field: message} for each text (field: (text, limit)) longer than its limit."""
    return {
        field: too_long_message(length=len(text), limit=limit)
        for field, (text, limit) in texts.items()
        if len(text) > limit
    }
