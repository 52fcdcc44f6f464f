"""Filing sessions: what the filing form suggested, and how the filing ended.

A session is keyed by the filing form's token (its idempotency key) and belongs to one customer:
a token that is someone else's is ignored, so nobody can count for another person's filing."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from ..choices import FilingOutcome
from ..models import FilingSession, SuggestionShown

MAX_TOKEN_LENGTH = 64


def _session(*, token: str, user, now, lock: bool = False) -> FilingSession | None:
    if not token or len(token) > MAX_TOKEN_LENGTH or user.organisation_id is None:
        return None
    sessions = FilingSession.objects.select_for_update() if lock else FilingSession.objects
    session = sessions.filter(token=token).first()
    if session is None:
        try:
            with transaction.atomic():
                session = FilingSession.objects.create(
                    token=token, user=user, organisation_id=user.organisation_id, started_at=now
                )
        except IntegrityError:  # a parallel request created it
            session = sessions.get(token=token)
    return session if session.user_id == user.pk else None


@transaction.atomic
def filing_session_shown(*, token: str, user, now, articles) -> FilingSession | None:
    """Record that `articles` were suggested in this filing (once each)."""
    articles = list(articles)
    if not articles:
        return None
    session = _session(token=token, user=user, now=now)
    if session is None or session.outcome != FilingOutcome.OPEN:
        return None
    SuggestionShown.objects.bulk_create(
        [SuggestionShown(session=session, article=article, first_shown_at=now) for article in articles],
        ignore_conflicts=True,
    )
    return session


@transaction.atomic
def filing_session_solved(*, token: str, user, now, article) -> bool:
    """The customer's problem is solved by `article`: the filing ends without a ticket. True if
    this counted (a second click, or a filing already ended, does not count again)."""
    session = _session(token=token, user=user, now=now, lock=True)
    if session is None or session.outcome != FilingOutcome.OPEN:
        return False
    SuggestionShown.objects.get_or_create(session=session, article=article, defaults={"first_shown_at": now})
    session.outcome, session.solved_by, session.ended_at = FilingOutcome.SOLVED, article, now
    session.save(update_fields=["outcome", "solved_by", "ended_at"])
    return True


@transaction.atomic
def filing_session_filed(*, token: str, user, now, ticket) -> bool:
    """The customer filed a ticket anyway: the session (if suggestions were shown) keeps it."""
    session = FilingSession.objects.select_for_update().filter(token=token, user=user).first() if token else None
    if session is None or session.outcome == FilingOutcome.FILED:
        return False
    session.outcome, session.ticket, session.ended_at = FilingOutcome.FILED, ticket, now
    session.save(update_fields=["outcome", "ticket", "ended_at"])
    return True
