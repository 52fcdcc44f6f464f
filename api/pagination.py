"""Cursor pagination for the ticket list: newest ticket first, stable under inserts, and no
COUNT(*) over a million rows.

Its two parameters are checked like a filter's: a cursor the API did not hand out, or a page size
that is not a whole number from 1 to `max_page_size`, is a 400 naming the parameter (DRF would
answer a bad cursor with a 404, pass a forged position on to the database, and replace a bad page
size with the default). An empty parameter counts as absent."""

from base64 import b64decode
from urllib.parse import parse_qs

from django import forms
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination

from api.serializers.common import MAX_ID

CURSOR_TOKENS = {"o", "r", "p"}  # offset, reverse, position: what CursorPagination.encode_cursor writes


class TicketCursorPagination(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        errors = {}
        for read in (self.get_page_size, self.decode_cursor):
            try:
                read(request)
            except exceptions.ValidationError as error:
                errors.update(error.detail)
        if errors:
            raise exceptions.ValidationError(errors)
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param, "")
        if value == "":
            return self.page_size
        field = forms.IntegerField(min_value=1, max_value=self.max_page_size)
        try:
            return field.clean(value)
        except forms.ValidationError as error:
            raise exceptions.ValidationError({self.page_size_query_param: error.messages}) from None

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param, "")
        if encoded == "":
            return None
        try:
            cursor = super().decode_cursor(request)
            tokens = parse_qs(b64decode(encoded.encode("ascii"), validate=True).decode("ascii"),
                              keep_blank_values=True)
        except (exceptions.NotFound, ValueError):  # binascii.Error and UnicodeError are ValueErrors
            cursor, tokens = None, {}
        if cursor is None or not tokens or set(tokens) - CURSOR_TOKENS or not _is_position(cursor.position):
            raise exceptions.ValidationError({self.cursor_query_param: [
                _("This cursor is not valid. Use the “next” or “previous” link of a page of results.")
            ]})
        return cursor

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


def _is_position(position: str | None) -> bool:
    """A position on the ordering `-id`: none (a first or last page), or an id."""
    return position is None or (position.isascii() and position.isdigit() and len(position) <= 19
                                 and 1 <= int(position) <= MAX_ID)
