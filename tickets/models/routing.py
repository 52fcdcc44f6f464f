"""Which team receives an organisation's new tickets (the rule is in `tickets.routing`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sla.choices import Category


class TeamRoute(models.Model):
    """Which team gets an organisation's new tickets. An empty category is the default for
    every category that has no row of its own. End customers of a reseller always go to the
    reseller's team (see `tickets.routing`)."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="team_routes",
        limit_choices_to={"kind": "customer"},
    )
    category = models.CharField(
        _("category"),
        max_length=20,
        choices=Category.choices,
        blank=True,
        help_text=_("Leave empty for the default team of every other category."),
    )
    team = models.ForeignKey("accounts.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("team route")
        verbose_name_plural = _("team routes")
        ordering = ["organisation", "category"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "category"], name="team_route_unique_per_category"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} / {self.get_category_display() or '*'} → {self.team}"
