"""What a user may do with a ticket they can see. Built only from the role predicates in
`accounts.access`; visibility itself is `tickets.selectors.ticket_get_for_user`."""

from accounts import access
from sla.choices import Status


def may_see(user, ticket) -> bool:
    """The cheap in-memory form of the access gate, for services that receive a ticket."""
    if access.is_customer(user):
        return user.organisation_id == ticket.organisation_id
    if access.is_agent(user):
        return access.organisations_for(user).filter(pk=ticket.organisation_id).exists()
    return False


def may_file(user) -> bool:
    return access.can_file_tickets(user)


def may_reply(user, ticket) -> bool:
    """Public replies: the customer's contacts and agents; not on a closed ticket."""
    if ticket.status == Status.CLOSED:
        return False
    return access.can_file_tickets(user) or access.is_agent(user)


def may_add_note(user) -> bool:
    return access.is_agent(user)


def sees_internal(user) -> bool:
    """Internal notes, internal events and internal attachments are for agents only."""
    return access.is_agent(user)
