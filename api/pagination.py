"""Cursor pagination for the ticket list: newest ticket first, stable under inserts, and no
COUNT(*) over a million rows.

Its two parameters are checked like a filter's: a cursor the API did not hand out, or a page size
that is not a whole number from 1 to `max_page_size`, is a 400 naming the parameter (DRF would
answer a bad cursor with a 404, pass a forged position on to the database, and replace a bad page
size with the default). An empty parameter counts as absent.

A cursor is short text that the schema states as a pattern (`CURSOR_PATTERN`), so that every
cursor the schema allows is one the server reads: `n` (the next page: older tickets) or `r` (the
previous page: newer ones), then the id of the ticket at the page boundary, and, only where tickets
share a position (never with the ordering on the id), `.` and an offset. A position above the
largest possible id is read as that id: no ticket lies beyond it."""

import re

from django import forms
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.utils.urls import replace_query_param

from api.filters import IdField
from api.serializers.common import MAX_ID

CURSOR_PATTERN = r"^[nr]([1-9][0-9]{0,18})?(\.[1-9][0-9]{0,2})?$"
_CURSOR = re.compile(CURSOR_PATTERN)


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
        field = IdField(min_value=1, max_value=self.max_page_size)
        try:
            return field.clean(value)
        except forms.ValidationError as error:
            raise exceptions.ValidationError({self.page_size_query_param: error.messages}) from None

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param, "")
        if encoded == "":
            return None
        match = _CURSOR.fullmatch(encoded)
        if match is None:
            raise exceptions.ValidationError({self.cursor_query_param: [
                _("This cursor is not valid. Use the “next” or “previous” link of a page of results.")
            ]})
        position, offset = match.group(1), match.group(2)
        return Cursor(
            offset=int(offset[1:]) if offset else 0,
            reverse=encoded.startswith("r"),
            position=str(min(int(position), MAX_ID)) if position else None,
        )

    def encode_cursor(self, cursor):
        text = ("r" if cursor.reverse else "n") + (str(cursor.position) if cursor.position is not None else "")
        if cursor.offset:
            text += f".{cursor.offset}"
        return replace_query_param(self.base_url, self.cursor_query_param, text)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
            if parameter["name"] == self.cursor_query_param:
                parameter["schema"].update(pattern=CURSOR_PATTERN)
                parameter["description"] = _("The page: the “next” or “previous” link of a page of results "
                                             "holds it.")
        return parameters
