"""Absences of agents: agents record their own, team leads and managers those of their people; the
leads hand an absent agent's open tickets on with the fair choice (`services.absence`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access
from accounts.models import Absence
from tickets.forms_absence import AbsenceForm
from tickets.selectors import tickets_visible_to
from tickets.services import absence as absence_services
from tickets.services import auto_assignment

from .queue import agents_only


def _absences_for(user):
    return (
        Absence.objects.filter(agent__in=access.absence_agents_for(user), ends_on__gte=timezone.localdate())
        .select_related("agent").order_by("starts_on", "pk")
    )


@agents_only
@require_http_methods(["GET", "POST"])
def absence_list(request):
    agents = access.absence_agents_for(request.user)
    form = AbsenceForm(request.POST or None, agents=agents, initial={"agent": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            absence_services.absence_record(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The absence is recorded."))
            return redirect("tickets:absences")
    return render(request, "tickets/agent/absences.html", {
        "form": form,
        "absences": _absences_for(request.user),
        "teams": _configurable_teams(request.user),
    }, status=400 if form.errors else 200)


def _configurable_teams(user) -> list:
    return [team for team in access.teams_for(user).select_related("lead") if access.may_configure_team(user, team)]


@agents_only
@require_POST
def team_auto_assign(request, pk: int):
    """Switch a team's auto-assignment (its lead and managers) from the absences page."""
    team = get_object_or_404(access.teams_for(request.user), pk=pk)
    enabled = request.POST.get("auto_assign") == "on"
    auto_assignment.team_auto_assign_set(actor=request.user, team=team, enabled=enabled)
    messages.success(request, (_("%(team)s now assigns new tickets automatically.") if enabled else
                               _("%(team)s no longer assigns new tickets automatically.")) % {"team": team.name})
    return redirect("tickets:absences")


def _absence_for(request, pk: int) -> Absence:
    absence = get_object_or_404(Absence.objects.select_related("agent"), pk=pk)
    if not access.may_record_absence(request.user, absence.agent):
        raise PermissionDenied(_("You may not record absences of this person."))
    return absence


@agents_only
@require_POST
def absence_delete(request, pk: int):
    absence = _absence_for(request, pk)
    absence_services.absence_delete(actor=request.user, absence=absence)
    messages.success(request, _("The absence is removed."))
    return redirect("tickets:absences")


@agents_only
@require_http_methods(["GET", "POST"])
def absence_reassign(request, pk: int):
    """The absent agent's open tickets that the reader may see; POST hands the chosen ones on."""
    absence = _absence_for(request, pk)
    tickets = (
        tickets_visible_to(user=request.user)
        .filter(pk__in=absence_services.open_tickets_of(absence.agent).values("pk"))
        .select_related("team", "organisation").order_by("reported_at", "pk")
    )
    if request.method == "POST":
        chosen = tickets.filter(pk__in=[v for v in request.POST.getlist("tickets") if v.isdigit()])
        if not chosen.exists():
            messages.error(request, _("Choose at least one ticket."))
        else:
            done = absence_services.tickets_reassign_from_absent(actor=request.user, absence=absence,
                                                                 tickets=list(chosen))
            messages.success(request, ngettext(
                "%(count)s ticket handed on.", "%(count)s tickets handed on.", len(done.moved)
            ) % {"count": len(done.moved)})
            if done.unassigned:
                messages.warning(request, ngettext(
                    "Nobody of the team was available for %(count)s ticket: it waits in its team's queue.",
                    "Nobody of the team was available for %(count)s tickets: they wait in their team's queue.",
                    len(done.unassigned),
                ) % {"count": len(done.unassigned)})
            return redirect("tickets:absence_reassign", pk=absence.pk)
    return render(request, "tickets/agent/absence_reassign.html", {"absence": absence, "tickets": tickets})
