"""Comments and attachments."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tickets.limits import COMMENT_MAX_LENGTH, TextLengthValidator
from tickets.models import Attachment, Comment

from .common import MAX_ID, RefSerializer, StrictSerializer


class AttachmentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)
    comment = serializers.IntegerField(source="comment_id", read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "content_type", "size", "is_internal", "comment", "created_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, attachment) -> str:
        reference = self.context["reference"]
        path = reverse("api:attachment-download", kwargs={"reference": reference, "public_id": attachment.public_id})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class CommentSerializer(serializers.ModelSerializer):
    author = RefSerializer(read_only=True, allow_null=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "author", "body", "is_internal", "channel", "created_at", "attachments"]
        read_only_fields = fields


class CommentCreateSerializer(StrictSerializer):
    body = serializers.CharField(help_text=_("Markdown."), validators=[TextLengthValidator(COMMENT_MAX_LENGTH)])
    is_internal = serializers.BooleanField(default=False, help_text=_("Agents: an internal note."))
    idempotency_key = serializers.CharField(max_length=64, required=False, allow_blank=True)


class AttachmentUploadSerializer(StrictSerializer):
    file = serializers.FileField(allow_empty_file=False)
    comment = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text=_("Attach to this comment.")
    )
