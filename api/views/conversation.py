"""A ticket's comments and attachments."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from api.errors import RuleRefusal
from api.selectors import attachments_for_user, comment_get_for_user, comments_for_user
from api.serializers.conversation import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    CommentCreateSerializer,
    CommentSerializer,
)
from tickets import selectors, services
from tickets.choices import Channel

from .base import PersonApiMixin, idempotency_key, idempotency_key_parameter
from .tickets import REFERENCE_PARAMETER, ticket_for

COMMENT_IDEMPOTENCY_KEY_HEADER = idempotency_key_parameter(
    "a comment with the same key returns the first comment instead of writing a second one"
)
COMMENT_RESPONSES = {
    201: CommentSerializer,
    200: OpenApiResponse(CommentSerializer, description="A repeat of the caller's earlier comment with the same "
                                                        "idempotency key: the first comment; nothing was written."),
    409: OpenApiResponse(description="The idempotency key was used for a different comment of the caller (another "
                                     "ticket, text or kind)."),
}


class TicketScopedMixin(PersonApiMixin):
    pagination_class = None

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "reference": self.kwargs["reference"]}

    @property
    def ticket(self):
        if not hasattr(self, "_ticket"):
            self._ticket = ticket_for(self.request, self.kwargs["reference"])
        return self._ticket


@extend_schema(parameters=[REFERENCE_PARAMETER])
class CommentListView(TicketScopedMixin, generics.ListCreateAPIView):
    """The conversation: public replies, and internal notes for agents."""

    serializer_class = CommentSerializer
    request_serializers = {"POST": CommentCreateSerializer}  # for OPTIONS

    def get_queryset(self):
        return comments_for_user(ticket=self.ticket, user=self.request.user)

    @extend_schema(summary="List a ticket's comments")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(summary="Reply or add an internal note", request=CommentCreateSerializer,
                   parameters=[COMMENT_IDEMPOTENCY_KEY_HEADER], responses=COMMENT_RESPONSES)
    def post(self, request, *args, **kwargs):
        incoming = CommentCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        key = idempotency_key(request, data.get("idempotency_key", ""))
        commented = services.comment_add(
            ticket=self.ticket, author=request.user, body=data["body"], is_internal=data["is_internal"],
            channel=Channel.API, idempotency_key=key,
        )
        body = self.get_serializer(commented.comment).data  # the comment comes back with its relations loaded
        return Response(body, status=status.HTTP_201_CREATED if commented.created else status.HTTP_200_OK)


@extend_schema(parameters=[REFERENCE_PARAMETER])
class AttachmentListView(TicketScopedMixin, generics.ListCreateAPIView):
    serializer_class = AttachmentSerializer
    parser_classes = [MultiPartParser]
    request_serializers = {"POST": AttachmentUploadSerializer}  # for OPTIONS

    def get_queryset(self):
        return attachments_for_user(ticket=self.ticket, user=self.request.user)

    @extend_schema(summary="List a ticket's attachments")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(summary="Upload an attachment", request={"multipart/form-data": AttachmentUploadSerializer},
                   responses={201: AttachmentSerializer})
    def post(self, request, *args, **kwargs):
        incoming = AttachmentUploadSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        ticket, comment = self.ticket, None
        if data.get("comment"):
            comment = comment_get_for_user(ticket=ticket, user=request.user, comment_id=data["comment"])
            if comment is None:
                raise RuleRefusal({"comment": [_("This ticket has no such comment.")]})
        attachment = services.attachment_add(ticket=ticket, actor=request.user, file=data["file"], comment=comment)
        return Response(self.get_serializer(attachment).data, status=status.HTTP_201_CREATED)


class AttachmentDetailMixin(TicketScopedMixin):
    serializer_class = AttachmentSerializer

    def get_object(self):
        return selectors.attachment_get_for_user(
            user=self.request.user, reference_or_id=self.kwargs["reference"], public_id=self.kwargs["public_id"]
        )


@extend_schema(parameters=[REFERENCE_PARAMETER], summary="Read an attachment's details")
class AttachmentDetailView(AttachmentDetailMixin, generics.RetrieveAPIView):
    pass


@extend_schema(
    parameters=[REFERENCE_PARAMETER],
    summary="Download an attachment",
    responses={(200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")},
)
class AttachmentDownloadView(AttachmentDetailMixin, generics.GenericAPIView):
    def get(self, request, *args, **kwargs):
        attachment = self.get_object()
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError:
            raise Http404("file missing") from None
        response = FileResponse(
            handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response
