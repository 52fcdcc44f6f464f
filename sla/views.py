from django.shortcuts import render
from django.utils.timezone import now
from django.views.decorators.http import require_GET

from .selectors import support_hours_published

PUBLISHED_DAYS = 60


@require_GET
def support_hours(request):
    """The published support hours of every public desk: open to everyone, signed in or not;
    signed-in people also see the desks of their own contracts."""
    desks = support_hours_published(now=now(), days=PUBLISHED_DAYS, user=request.user)
    return render(request, "sla/public/support_hours.html", {"desks": desks, "days": PUBLISHED_DAYS})
