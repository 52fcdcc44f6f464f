"""Where attachments live: under MEDIA_ROOT, which no URL serves. Files leave the server only
through the permission-checked download view."""

import uuid
from pathlib import PurePath

from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """FileSystemStorage without a public URL. Names are derived from a random id, so a name
    can only be reused by the same attachment (demo data re-seeding overwrites its own file)."""

    def __init__(self):
        super().__init__(allow_overwrite=True)

    def url(self, name):
        raise ValueError("Attachments have no public URL; use the download view.")


_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    """Callable storage, so migrations do not freeze a path."""
    return _storage


def attachment_path(instance, filename: str) -> str:
    """attachments/ab/<public id><.ext>: never the uploaded name, which is kept sanitised on the row."""
    public_id = instance.public_id or uuid.uuid4()
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"attachments/{public_id.hex[:2]}/{public_id.hex}{suffix}"
