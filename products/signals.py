"""What products tell the apps above: a release was published (sent inside the publishing
transaction, once per release; receivers write in it, e.g. `tickets` tells the requesters whose
permanent fix it carries)."""

from django.dispatch import Signal

release_published = Signal()  # kwargs: release, now
