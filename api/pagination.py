"""Cursor pagination for the ticket list: newest ticket first, stable under inserts, and no
COUNT(*) over a million rows."""

from rest_framework.pagination import CursorPagination


class TicketCursorPagination(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
