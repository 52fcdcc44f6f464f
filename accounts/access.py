"""The one place that decides what a role may do. Views, the API and tasks ask here; nothing
else compares role codes.

Roles:
- customer contact: files and follows its organisation's tickets;
- customer reader: signs in and reads its organisation's tickets, may not file or reply;
- agent: works the queue (a reseller's agent only for the organisations it supports);
- manager: agent rights plus dashboards;
- admin: everything, including the Django admin.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import CUSTOMER_ROLES, STAFF_ROLES, Organisation, Role, Team, User


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_customer(user) -> bool:
    """A customer contact or reader: sees only its own organisation."""
    return _active(user) and user.role in CUSTOMER_ROLES and not user.is_superuser


def can_file_tickets(user) -> bool:
    """Customer contacts file tickets and reply; readers may not."""
    return _active(user) and user.role == Role.CONTACT and not user.is_superuser


def is_reader(user) -> bool:
    return _active(user) and user.role == Role.READER and not user.is_superuser


def is_agent(user) -> bool:
    """Agents, managers and admins work tickets."""
    return _active(user) and (user.role in STAFF_ROLES or user.is_superuser)


def is_manager(user) -> bool:
    return _active(user) and (user.role in (Role.MANAGER, Role.ADMIN) or user.is_superuser)


def is_admin(user) -> bool:
    return _active(user) and user.is_staff and (user.role == Role.ADMIN or user.is_superuser)


def may_change_effort(user, author_id: int | None) -> bool:
    """Change or delete a time entry: its author (an agent) may, and managers may any."""
    return is_agent(user) and (author_id == user.pk or is_manager(user))


def may_read_sla_audit(user) -> bool:
    """The audit trail of the SLA configuration: managers and admins."""
    return is_manager(user)


def may_manage_personal_data(user) -> bool:
    """Exporting and erasing a person's data and setting retention: administrators only."""
    return is_admin(user)


def is_reseller_agent(user) -> bool:
    return (
        is_agent(user)
        and user.organisation_id is not None
        and user.organisation.kind == Organisation.Kind.RESELLER
    )


def organisations_for(user) -> QuerySet[Organisation]:
    """The organisations whose tickets the user may see.

    A customer sees its own organisation. A reseller's agent sees the organisations that the
    reseller supports. The vendor's staff see every organisation that no reseller supports.
    """
    organisations = Organisation.objects.all()
    if not _active(user):
        return organisations.none()
    if is_customer(user):
        return organisations.filter(pk=user.organisation_id)
    if is_reseller_agent(user):
        return organisations.filter(support_partner_id=user.organisation_id)
    if is_agent(user):
        return organisations.filter(support_partner__isnull=True, kind=Organisation.Kind.CUSTOMER)
    return organisations.none()


def teams_for(user) -> QuerySet[Team]:
    """The active teams an agent may move tickets to: those of its own organisation (the vendor's
    teams for the vendor's staff, the reseller's for a reseller's agents)."""
    if not is_agent(user) or user.organisation_id is None:
        return Team.objects.none()
    return Team.objects.filter(organisation_id=user.organisation_id, is_active=True)


def colleagues_for(user) -> QuerySet[User]:
    """The people an agent may assign tickets to: the active agents, managers and admins of its own
    organisation (who therefore see the same customers)."""
    if not is_agent(user) or user.organisation_id is None:
        return User.objects.none()
    return User.objects.filter(organisation_id=user.organisation_id, role__in=STAFF_ROLES, is_active=True)


def may_record_absence(actor, agent) -> bool:
    """Record or remove an absence of `agent`: the agent themself, the lead of one of the agent's
    teams, and managers of the agent's own organisation."""
    if not is_agent(actor) or agent is None or agent.role not in STAFF_ROLES:
        return False
    if actor.pk == agent.pk:
        return True
    if is_manager(actor) and actor.organisation_id is not None and actor.organisation_id == agent.organisation_id:
        return True
    return Team.objects.filter(lead=actor, members=agent).exists()


def may_configure_team(actor, team) -> bool:
    """Switch a team's auto-assignment: its lead, and managers of the team's organisation."""
    if not is_agent(actor) or team is None:
        return False
    return team.lead_id == actor.pk or (is_manager(actor) and actor.organisation_id == team.organisation_id)


def absence_agents_for(actor) -> QuerySet[User]:
    """The people whose absences `actor` may record (see `may_record_absence`)."""
    if not is_agent(actor):
        return User.objects.none()
    people = Q(pk=actor.pk) | Q(teams__lead=actor)
    if is_manager(actor) and actor.organisation_id is not None:
        people |= Q(organisation_id=actor.organisation_id)
    return User.objects.filter(people, role__in=STAFF_ROLES, is_active=True).distinct()


def organisation_filter_for(user, field: str = "organisation") -> Q:
    """A Q object restricting `field` (a foreign key to Organisation) to what the user may see."""
    return Q(**{f"{field}__in": organisations_for(user)})


def contact_for_refusal(user) -> str:
    """Whom a customer should contact when a request is refused (named in the message)."""
    organisation = getattr(user, "organisation", None)
    if organisation and organisation.support_partner_id:
        return organisation.support_partner.name
    return str(_("your organisation's registered support contact"))


Predicate = Callable[[User], bool]


def role_required(predicate: Predicate, message: str | None = None):
    """Decorator for function views: anonymous users go to the login page, users whose role
    fails the predicate get a 403 page with `message`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not predicate(request.user):
                raise PermissionDenied(message or _("Your role does not allow this page."))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleRequiredMixin(AccessMixin):
    """Class-based counterpart of `role_required`: set `role_predicate` on the view."""

    role_predicate: Predicate = staticmethod(lambda user: _active(user))
    permission_denied_message = _("Your role does not allow this page.")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not type(self).role_predicate(request.user):
            raise PermissionDenied(self.get_permission_denied_message())
        return super().dispatch(request, *args, **kwargs)
