"""Admin screens of the SLA configuration. Every save and delete goes through `sla.services`, so the
calendar version is raised, open deadlines are recomputed and the audit trail records the change
(actor: the signed-in person, origin "admin") as for any other change."""

from datetime import date

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import OpeningHoursForm, OpeningHoursFormSet, PolicyForm, PolicyTargetForm
from .models import (
    Calendar,
    Closure,
    Contract,
    ContractOverride,
    Holiday,
    OpeningHours,
    Policy,
    PolicyTarget,
)


def _by(request) -> dict:
    """Who changes the configuration through the admin, for the services' audit rows."""
    return {"actor": request.user, "origin": services.ORIGIN_ADMIN}


def _record(formset, new=(), changed=(), deleted=()):
    """What the admin's change message reads after a formset was saved through services."""
    formset.new_objects = list(new)
    formset.changed_objects = list(changed)
    formset.deleted_objects = list(deleted)


def _live(formset):
    """(form, cleaned data) of every form to keep: filled in and not marked for deletion."""
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if data and not data.get("DELETE"):
            yield form, data


def _fresh(instance):
    """The row as stored: a bound form has already written the submitted values onto its instance."""
    return type(instance).objects.get(pk=instance.pk)


def _copy_into(target, source) -> None:
    for field in type(source)._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    target._state.adding = False
    target._state.db = source._state.db


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    form = OpeningHoursForm
    formset = OpeningHoursFormSet
    extra = 1


class HolidayInline(admin.TabularInline):
    """This year's and next year's holidays; all of them are in the holiday list."""

    model = Holiday
    fields = ["date", "name_de", "name_en", "source", "is_active"]
    readonly_fields = ["source"]
    extra = 1
    verbose_name_plural = _("holidays this year and next (deleting a public holiday only deactivates it)")

    def get_queryset(self, request):
        year = timezone.localdate().year
        return super().get_queryset(request).filter(date__gte=date(year, 1, 1), date__lte=date(year + 1, 12, 31))


class ClosureInline(admin.TabularInline):
    model = Closure
    fields = ["start_date", "end_date", "reason", "kind"]
    extra = 1


@admin.register(Calendar)
class CalendarAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone", "holiday_country", "holiday_subdivision", "is_public", "updated_at"]
    list_filter = ["is_public", "holiday_country"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [OpeningHoursInline, HolidayInline, ClosureInline]
    actions = ["sync_holidays"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "time_zone", "is_public", "description"]}),
        (_("Public holidays"), {"fields": ["holiday_country", "holiday_subdivision",
                                            "holidays_from_year", "holidays_until_year"]}),
        (_("Internal"), {"fields": ["notes", "version", "updated_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["version", "updated_at", *(["slug"] if obj else [])]

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else self.prepopulated_fields

    def save_model(self, request, obj, form, change):
        by = _by(request)
        fields = {name: form.cleaned_data[name] for name in services.CALENDAR_FIELDS if name in form.cleaned_data}
        if change:
            current = Calendar.objects.get(pk=obj.pk)
            changed = {name: value for name, value in fields.items() if name in form.changed_data}
            _copy_into(obj, services.calendar_update(calendar=current, data=changed, **by))
        else:
            _copy_into(obj, services.calendar_create(slug=form.cleaned_data["slug"], **fields, **by))

    def save_formset(self, request, form, formset, change):
        calendar = form.instance
        if formset.model is OpeningHours:
            self._save_hours(calendar, formset, _by(request))
        elif formset.model is Holiday:
            self._save_holidays(calendar, formset, _by(request))
        elif formset.model is Closure:
            self._save_closures(calendar, formset, _by(request))
        else:  # pragma: no cover - every inline is handled above
            super().save_formset(request, form, formset, change)
        calendar.refresh_from_db()

    @staticmethod
    def _save_hours(calendar, formset, by):
        hours: dict[int, list[tuple[int, int]]] = {}
        for _form, data in _live(formset):
            hours.setdefault(int(data["weekday"]), []).append((data["open_minute"], data["close_minute"]))
        changed = formset.has_changed()
        services.calendar_set_hours(calendar=calendar, hours=hours, **by)
        _record(formset, changed=[(form.instance, form.changed_data) for form in formset.forms
                                  if changed and form.instance.pk and form.has_changed()])

    @staticmethod
    def _save_holidays(calendar, formset, by):
        new, changed, deleted = [], [], []
        for form in formset.deleted_forms:
            if form.instance.pk:
                services.holiday_remove(holiday=_fresh(form.instance), **by)
                deleted.append(form.instance)
        for form, data in _live(formset):
            if not form.has_changed():
                continue
            if form.instance.pk:
                services.holiday_change(holiday=_fresh(form.instance), name_de=data["name_de"], name_en=data["name_en"],
                                        is_active=data["is_active"], **by)
                changed.append((form.instance, form.changed_data))
            else:
                row = services.holiday_add(calendar=calendar, day=data["date"], name_de=data["name_de"],
                                           name_en=data["name_en"], **by)
                if not data["is_active"]:
                    services.holiday_remove(holiday=row, **by)
                form.instance = row
                new.append(row)
        _record(formset, new, changed, deleted)

    @staticmethod
    def _save_closures(calendar, formset, by):
        new, changed, deleted = [], [], []
        for form in formset.deleted_forms:
            if form.instance.pk:
                deleted.append(form.instance)
                services.closure_remove(closure=_fresh(form.instance), **by)
        for form, data in _live(formset):
            if not form.has_changed():
                continue
            values = {key: data[key] for key in ("start_date", "end_date", "reason", "kind")}
            if form.instance.pk:
                services.closure_change(closure=_fresh(form.instance), **values, **by)
                changed.append((form.instance, form.changed_data))
            else:
                form.instance = services.closure_add(calendar=calendar, **values, **by)
                new.append(form.instance)
        _record(formset, new, changed, deleted)

    def delete_model(self, request, obj):
        services.calendar_delete(calendar=obj, **_by(request))

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for calendar in queryset:
                services.calendar_delete(calendar=calendar, **_by(request))

    @admin.action(description=_("Sync public holidays"))
    def sync_holidays(self, request, queryset):
        by = _by(request)
        for calendar in queryset:
            try:
                with transaction.atomic():
                    result = services.calendar_holidays_sync(calendar=calendar, **by)
            except ValidationError as exc:
                self.message_user(request, f"{calendar}: {' '.join(exc.messages)}", messages.ERROR)
                continue
            self.message_user(
                request,
                _("%(calendar)s: %(created)s added, %(updated)s renamed, %(removed)s removed.")
                % {"calendar": calendar, "created": result.created, "updated": result.updated,
                   "removed": result.removed},
                messages.SUCCESS,
            )


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name_de", "name_en", "calendar", "source", "is_active"]
    list_filter = ["calendar", "source", "is_active", ("date", admin.DateFieldListFilter)]
    search_fields = ["name_de", "name_en"]
    date_hierarchy = "date"
    fields = ["calendar", "date", "name_de", "name_en", "source", "is_active"]
    readonly_fields = ["source"]
    actions = ["keep_open", "close_again"]

    def get_readonly_fields(self, request, obj=None):
        return ["source", *(["calendar", "date"] if obj else [])]

    def save_model(self, request, obj, form, change):
        by = _by(request)
        data = form.cleaned_data
        if change:
            current = Holiday.objects.get(pk=obj.pk)
            services.holiday_change(holiday=current, name_de=data["name_de"], name_en=data["name_en"],
                                    is_active=data["is_active"], **by)
        else:
            row = services.holiday_add(calendar=data["calendar"], day=data["date"], name_de=data["name_de"],
                                       name_en=data["name_en"], **by)
            if not data["is_active"]:
                services.holiday_remove(holiday=row, **by)
            current = row
        _copy_into(obj, Holiday.objects.get(pk=current.pk))

    def delete_model(self, request, obj):
        services.holiday_remove(holiday=obj, **_by(request))

    def delete_queryset(self, request, queryset):
        for holiday in queryset:
            services.holiday_remove(holiday=holiday, **_by(request))

    @admin.action(description=_("Keep the desk open on these days (deactivate)"))
    def keep_open(self, request, queryset):
        by = _by(request)
        for holiday in queryset.filter(is_active=True):
            services.holiday_change(holiday=holiday, name_de=holiday.name_de, name_en=holiday.name_en,
                                    is_active=False, **by)

    @admin.action(description=_("Close the desk on these days again (reactivate)"))
    def close_again(self, request, queryset):
        by = _by(request)
        for holiday in queryset.filter(is_active=False):
            services.holiday_change(holiday=holiday, name_de=holiday.name_de, name_en=holiday.name_en,
                                    is_active=True, **by)


class PolicyTargetInline(admin.TabularInline):
    model = PolicyTarget
    form = PolicyTargetForm
    extra = 0
    min_num = 1


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    form = PolicyForm
    list_display = ["name", "slug", "calendar", "warning_threshold_percent", "post_breach_after"]
    list_filter = ["calendar"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [PolicyTargetInline]

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj else []

    def delete_model(self, request, obj):
        services.policy_delete(policy=obj, **_by(request))

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for policy in queryset:
                services.policy_delete(policy=policy, **_by(request))

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else self.prepopulated_fields

    def save_model(self, request, obj, form, change):
        by = _by(request)
        data = form.cleaned_data
        keys = ("name", "calendar", "warning_threshold_percent", "pause_statuses", "post_breach_after")
        fields = {key: data[key] for key in keys}
        if change:
            current = Policy.objects.get(pk=obj.pk)
            _copy_into(obj, services.policy_update(policy=current, data=fields, **by))
        else:
            _copy_into(obj, services.policy_create(slug=data["slug"], **fields, **by))

    def save_formset(self, request, form, formset, change):
        by = _by(request)
        new, changed, deleted = [], [], []
        for target_form in formset.deleted_forms:
            if target_form.instance.pk:
                deleted.append(target_form.instance)
                services.policy_target_remove(target=_fresh(target_form.instance), **by)
        for target_form, data in _live(formset):
            if not target_form.has_changed():
                continue
            old_severity = target_form.initial.get("severity")
            if target_form.instance.pk and old_severity != data["severity"]:
                services.policy_target_remove(target=_fresh(target_form.instance), **by)
            row = services.policy_target_set(policy=form.instance, severity=data["severity"],
                                             reaction_target=data["reaction_target"],
                                             resolution_target=data["resolution_target"],
                                             next_reply_target=data.get("next_reply_target", ""), **by)
            (changed.append((row, target_form.changed_data)) if target_form.instance.pk else new.append(row))
            target_form.instance = row
        _record(formset, new, changed, deleted)


class ContractOverrideInline(admin.TabularInline):
    model = ContractOverride
    fields = ["category", "policy"]
    extra = 0


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["organisation", "policy", "valid_from", "valid_until", "daily_rate", "hours_per_day"]
    list_filter = ["policy"]
    search_fields = ["organisation__name", "organisation__customer_number"]
    autocomplete_fields = ["organisation"]
    inlines = [ContractOverrideInline]

    def save_model(self, request, obj, form, change):
        by = _by(request)
        data = {key: form.cleaned_data[key] for key in ("policy", "valid_from", "valid_until", "daily_rate",
                                                         "hours_per_day")}
        if change:
            _copy_into(obj, services.contract_update(contract=Contract.objects.get(pk=obj.pk), data=data, **by))
        else:
            _copy_into(obj, services.contract_create(organisation=form.cleaned_data["organisation"], **data, **by))

    def get_readonly_fields(self, request, obj=None):
        return ["organisation"] if obj else []

    def delete_model(self, request, obj):
        services.contract_delete(contract=obj, **_by(request))

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for contract in queryset:
                services.contract_delete(contract=contract, **_by(request))

    def save_formset(self, request, form, formset, change):
        by = _by(request)
        new, changed, deleted = [], [], []
        for override_form in formset.deleted_forms:
            if override_form.instance.pk:
                deleted.append(override_form.instance)
                services.contract_override_set(contract=form.instance,
                                               category=_fresh(override_form.instance).category, policy=None, **by)
        for override_form, data in _live(formset):
            if not override_form.has_changed():
                continue
            old_category = override_form.initial.get("category")
            if override_form.instance.pk and old_category != data["category"]:
                services.contract_override_set(contract=form.instance, category=old_category, policy=None, **by)
            row = services.contract_override_set(contract=form.instance, category=data["category"],
                                                 policy=data["policy"], **by)
            (changed.append((row, override_form.changed_data)) if override_form.initial else new.append(row))
            override_form.instance = row
        _record(formset, new, changed, deleted)
