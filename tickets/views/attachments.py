"""Attachments leave the server only here: behind the access gate, as a download."""

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from tickets import selectors

from ._common import in_reader_time_zone


@require_GET
@in_reader_time_zone
def attachment_download(request, reference, public_id):
    attachment = selectors.attachment_get_for_user(user=request.user, reference_or_id=reference, public_id=public_id)
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
