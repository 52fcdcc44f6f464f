"""The manager dashboard and the monthly customer report (managers only: `accounts.access.is_manager`;
organisations limited by `organisations_for`). Parse the query string, call the selectors, render."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts import access
from chat import selectors as chat_selectors
from knowledge.deflection import deflection_by_article, deflection_by_month

from . import exports, selectors
from . import sla_audit as audit
from .charts import charts_for, figures_for
from .filters import MonthlyReportForm, dashboard_filter_from
from .monthly import NOT_CHARGED, OUT_OF_HOURS, REGULAR, monthly_report, report_month_default
from .satisfaction import month_satisfaction, satisfaction

MANAGERS_ONLY = _("The dashboard and the reports are for managers.")
AUDIT_READERS_ONLY = _("The audit trail of the SLA configuration is for managers and administrators.")
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _manager_view(view):
    return require_GET(access.role_required(access.is_manager, MANAGERS_ONLY)(view))


@_manager_view
def dashboard_index(request):
    now = timezone.now()
    form, flt = dashboard_filter_from(user=request.user, data=request.GET, today=timezone.localdate(now))
    context = {"form": form, "query": request.GET.urlencode()}
    if flt is not None:
        data = selectors.dashboard(flt=flt, now=now)
        context.update(
            dashboard=data,
            charts=charts_for(data),
            figures=figures_for(data.summary),
            organisations_shown=data.organisations[: selectors.TABLE_ROWS],
            teams_shown=data.teams[: selectors.TABLE_ROWS],
            agents_shown=data.agents[: selectors.TABLE_ROWS],
            table_rows=selectors.TABLE_ROWS,
            list_rows=selectors.LIST_ROWS,
            chat=chat_selectors.chat_figures(start=flt.start, end=flt.end, organisations=flt.visible_organisations),
            satisfaction=satisfaction(flt=flt),
        )
    return render(request, "reports/manager/dashboard.html", context)


@_manager_view
def dashboard_export(request, table: str):
    if table not in exports.TABLES:
        raise Http404
    now = timezone.now()
    form, flt = dashboard_filter_from(user=request.user, data=request.GET, today=timezone.localdate(now))
    if flt is None:
        errors = "\n".join(f"{form.fields[name].label if name in form.fields else ''}: {' '.join(messages)}"
                           for name, messages in form.errors.items())
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    return exports.dashboard_csv(table=table, flt=flt, now=now)


@_manager_view
def monthly_index(request):
    """Choose an organisation and a month; a valid choice opens the report."""
    if request.GET:
        form = MonthlyReportForm(request.GET, user=request.user)
        if form.is_valid():
            month = form.cleaned_data["month"]
            return redirect(
                "dashboard:monthly_report",
                customer_number=form.cleaned_data["organisation"].customer_number,
                year=month.year,
                month=month.month,
            )
    else:
        year, month = report_month_default(timezone.localdate())
        form = MonthlyReportForm(initial={"month": f"{year:04d}-{month:02d}"}, user=request.user)
    return render(request, "reports/manager/monthly_index.html", {"form": form})


def _report(request, customer_number: str, year: int, month: int):
    if not (1 <= month <= 12 and FIRST_YEAR <= year <= LAST_YEAR):
        raise Http404
    organisation = get_object_or_404(access.organisations_for(request.user), customer_number=customer_number)
    return monthly_report(organisation=organisation, year=year, month=month, now=timezone.now())


@_manager_view
def monthly_report_page(request, customer_number: str, year: int, month: int):
    report = _report(request, customer_number, year, month)
    return render(request, "reports/manager/monthly_report.html", {
        "report": report,
        "regular_entries": report.entries_of(REGULAR),
        "out_of_hours_entries": report.entries_of(OUT_OF_HOURS),
        "not_charged_entries": report.entries_of(NOT_CHARGED),
        "satisfaction": month_satisfaction(organisation=report.organisation, year=year, month=month),
    })


@_manager_view
def monthly_report_csv(request, customer_number: str, year: int, month: int):
    return exports.monthly_csv(_report(request, customer_number, year, month))


def _audit_view(view):
    return require_GET(access.role_required(access.may_read_sla_audit, AUDIT_READERS_ONLY)(view))


@_audit_view
def sla_audit(request):
    """Who changed which part of the SLA configuration when, with the old and new values."""
    form = audit.SlaAuditFilter(request.GET)  # every field is optional: no filter shows everything
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "query": query.urlencode()}
    if form.is_valid():
        page = Paginator(audit.sla_audit_changes(form), audit.PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(page_obj=page, rows=audit.audit_rows(page.object_list))
    return render(request, "reports/manager/sla_audit.html", context)


@_audit_view
def sla_audit_csv(request):
    form = audit.SlaAuditFilter(request.GET)
    if not form.is_valid():
        errors = "\n".join(f"{form.fields[name].label if name in form.fields else ''}: {' '.join(messages)}"
                           for name, messages in form.errors.items())
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    return exports.csv_response(filename=f"sla-audit-{stamp}.csv",
                                rows=audit.audit_csv_rows(audit.sla_audit_changes(form)))


DEFLECTION_MONTHS = 12


@_manager_view
def deflection(request):
    """Answers while filing: suggestions shown, problems solved without a ticket, per month and article."""
    now = timezone.localtime(timezone.now())
    months_back = now.year * 12 + now.month - 1 - (DEFLECTION_MONTHS - 1)
    since = now.replace(year=months_back // 12, month=months_back % 12 + 1, day=1, hour=0, minute=0, second=0,
                        microsecond=0)
    organisations = access.organisations_for(request.user)
    return render(request, "reports/manager/deflection.html", {
        "months": deflection_by_month(organisations=organisations, since=since),
        "articles": deflection_by_article(organisations=organisations, since=since, language=get_language() or "en"),
        "since": since,
    })
