"""A desk's business calendar: time zone, weekly opening hours, public holidays and company
closures. Every change goes through `sla.services`, which bumps `version` so that the cached
engine calendar (`sla.calendars`) is rebuilt."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sla.validators import MINUTES_PER_DAY, validate_minute_of_day, validate_time_zone

FIRST_HOLIDAY_YEAR, LAST_HOLIDAY_YEAR = 2020, 2035  # SEMANTICS.md "Supported years"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


def format_minute(minute: int) -> str:
    """``540`` → ``"09:00"``; ``1440`` → ``"24:00"``."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


class Calendar(models.Model):
    slug = models.SlugField(_("short name"), max_length=50, unique=True)
    name = models.CharField(_("desk name"), max_length=100, help_text=_("E.g. Support Deutschland."))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("IANA name, e.g. Europe/Berlin or America/New_York."),
    )
    holiday_country = models.CharField(
        _("holiday country"),
        max_length=2,
        blank=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Enter a two-letter ISO country code, e.g. DE."))],
        help_text=_("Public holidays of this country are closed days. Leave empty for none."),
    )
    holiday_subdivision = models.CharField(
        _("holiday subdivision"),
        max_length=10,
        blank=True,
        help_text=_("State or region whose holidays apply, e.g. NW for North Rhine-Westphalia."),
    )
    holidays_from_year = models.PositiveSmallIntegerField(
        _("holidays from year"),
        default=FIRST_HOLIDAY_YEAR,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )
    holidays_until_year = models.PositiveSmallIntegerField(
        _("holidays until year"),
        default=LAST_HOLIDAY_YEAR,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_("Deadlines can only be computed in years with holiday data."),
    )
    is_public = models.BooleanField(
        _("published"), default=True, help_text=_("Shown on the public support hours page.")
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Shown on the support hours page under the desk name.")
    )
    notes = models.TextField(_("internal notes"), blank=True)
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Raised by every change of hours, holidays or closures.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(holidays_until_year__gte=models.F("holidays_from_year")),
                name="sla_calendar_holiday_years_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Not a cycle: importing the `holidays` package costs about 40 ms, which every process would
        # pay at start-up for the few that edit or sync a calendar.
        from sla.holiday_source import holiday_region_errors

        errors = holiday_region_errors(self.holiday_country, self.holiday_subdivision)
        if (
            self.holidays_from_year is not None
            and self.holidays_until_year is not None
            and self.holidays_until_year < self.holidays_from_year
        ):
            errors["holidays_until_year"] = _("The last year must not be before the first year.")
        if errors:
            raise ValidationError(errors)


class OpeningHours(models.Model):
    """One range [open, close) of local wall-clock minutes on a weekday. A weekday may have several."""

    calendar = models.ForeignKey(Calendar, verbose_name=_("calendar"), on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    open_minute = models.PositiveSmallIntegerField(_("opens"), validators=[validate_minute_of_day])
    close_minute = models.PositiveSmallIntegerField(_("closes"), validators=[validate_minute_of_day])

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["calendar", "weekday", "open_minute"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(open_minute__lt=models.F("close_minute"), close_minute__lte=MINUTES_PER_DAY),
                name="sla_openinghours_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {format_minute(self.open_minute)}-{format_minute(self.close_minute)}"

    def clean(self) -> None:
        if self.open_minute is not None and self.close_minute is not None:
            if self.open_minute == self.close_minute:
                raise ValidationError({"close_minute": _("The range is empty: closing time equals opening time.")})
            if self.close_minute < self.open_minute:
                raise ValidationError({"close_minute": _("The closing time must be after the opening time.")})
            if self.open_minute >= MINUTES_PER_DAY:
                raise ValidationError({"open_minute": _("Opening must be before 24:00.")})


class Holiday(models.Model):
    class Source(models.TextChoices):
        GENERATED = "generated", _("Public holiday (generated)")
        MANUAL = "manual", _("Added by hand")

    calendar = models.ForeignKey(
        Calendar, verbose_name=_("calendar"), on_delete=models.CASCADE, related_name="holidays"
    )
    date = models.DateField(_("date"))
    name_de = models.CharField(_("name (German)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.MANUAL)
    is_active = models.BooleanField(
        _("closed"),
        default=True,
        help_text=_("Untick to keep the desk open on this day; a holiday sync will not tick it again."),
    )

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["calendar", "date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="sla_holiday_one_per_date")]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"

    @property
    def name(self) -> str:
        """The name in the current language."""
        return self.name_de if (get_language() or "de").startswith("de") else self.name_en


class Closure(models.Model):
    class Kind(models.TextChoices):
        COMPANY_HOLIDAYS = "company_holidays", _("Company holidays")
        ONE_OFF = "one_off", _("One-off closure")

    calendar = models.ForeignKey(
        Calendar, verbose_name=_("calendar"), on_delete=models.CASCADE, related_name="closures"
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"), help_text=_("Inclusive: the desk is closed on this day too."))
    reason = models.CharField(_("reason"), max_length=200, help_text=_("Shown to customers, e.g. Betriebsferien."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMPANY_HOLIDAYS)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["calendar", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="sla_closure_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason} ({self.start_date.isoformat()} - {self.end_date.isoformat()})"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The last day must not be before the first day.")})
