"""The satisfaction survey: asked once per ticket, at its first resolution (`tickets.satisfaction`)."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SatisfactionSurvey(models.Model):
    """One per ticket, written in the transaction of its first resolution. `team` and `agent` are
    who solved it at that moment (the assignee, else nobody): the reports count the score for them
    even when the ticket moves later. Unanswered while `rating` is empty."""

    ticket = models.OneToOneField("tickets.Ticket", verbose_name=_("ticket"), on_delete=models.CASCADE,
                                  related_name="satisfaction")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("asked"), on_delete=models.PROTECT,
                                  related_name="+")
    team = models.ForeignKey("accounts.Team", verbose_name=_("team"), on_delete=models.SET_NULL,
                             null=True, blank=True, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.SET_NULL,
                              null=True, blank=True, related_name="+")
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="satisfaction_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.rating or '-'}"

    @property
    def closes_at(self):
        """Until when it can be answered (``SATISFACTION_SURVEY_DAYS`` after it was asked)."""
        return self.asked_at + timedelta(days=settings.SATISFACTION_SURVEY_DAYS)

    @property
    def is_answered(self) -> bool:
        return self.rating is not None
