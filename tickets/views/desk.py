"""The agent desk's ticket actions in the workspace: merge and split. Like every workspace action:
the access gate, the form, one service; a refusal shows the page again with what was typed and
the error next to its field; a done one goes on to the ticket that carries on."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tickets import selectors, selectors_tags, services
from tickets.errors import TicketRuleError
from tickets.forms_desk import MacroForm, MergeForm, SplitForm, TagsForm
from tickets.markdown import render_markdown

from .queue import agents_only
from .workspace import _ticket, workspace_context


def splittable_comments(ticket):
    """The public messages of a ticket, newest first: what may be split off."""
    return list(ticket.comments.filter(is_internal=False).select_related("author").order_by("-created_at", "-pk"))


def _desk_action(request, reference, *, form_name: str, form, perform: Callable):
    """`perform(ticket, cleaned_data)` returns (the ticket to go on to, the message); a refusal
    shows the workspace again with the form as typed and the error next to its field."""
    ticket = _ticket(request, reference)
    bound = form(ticket)
    if bound.is_valid():
        try:
            target, message = perform(ticket, bound.cleaned_data)
        except TicketRuleError as error:
            bound.add_error(None, error.messages[0])
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                bound.add_error(field if field in bound.fields else None, errors)
        except PermissionDenied as error:
            bound.add_error(None, str(error) or _("Your role does not allow this change."))
        else:
            messages.success(request, message)
            return redirect("tickets:workspace", reference=target.reference)
    ticket.refresh_from_db()
    return render(request, "tickets/agent/workspace.html",
                  workspace_context(request, ticket, **{form_name: bound}), status=200)


@require_POST
@agents_only
def merge(request, reference):
    def perform(ticket, data):
        try:
            main = selectors.ticket_get_for_user(user=request.user, reference_or_id=data["into"].strip())
        except Http404:
            raise ValidationError({"into": _("There is no such ticket, or you may not see it.")}) from None
        merged = services.ticket_merge(duplicate=ticket, main=main, actor=request.user)
        return merged.main, _(
            "%(duplicate)s has been merged into %(main)s and closed: %(comments)s comments, %(attachments)s files "
            "and %(minutes)s minutes of effort moved."
        ) % {"duplicate": merged.duplicate.reference, "main": merged.main.reference, "comments": merged.comments,
             "attachments": merged.attachments, "minutes": merged.minutes}

    return _desk_action(request, reference, form_name="merge_form", form=lambda t: MergeForm(request.POST),
                        perform=perform)


@require_POST
@agents_only
def split(request, reference):
    bound = {}

    def form(ticket):
        bound["form"] = SplitForm(request.POST, comments=splittable_comments(ticket))
        return bound["form"]

    def perform(ticket, data):
        comment = bound["form"].comments[data["comment"]]
        comment.ticket = ticket
        split = services.comment_split(comment=comment, actor=request.user, subject=data["subject"])
        return split.ticket, _("The message is now the new ticket %(reference)s.") % {
            "reference": split.ticket.reference}

    return _desk_action(request, reference, form_name="split_form", form=form, perform=perform)


# --- tags ----------------------------------------------------------------------------------------

TAG_FIELDS = ("q", "tags", "add_tags", "remove_tags")


@require_GET
@agents_only
def tag_suggestions(request):
    """Options for the tag fields' datalist: the most used tags (of the tickets the agent sees)
    that start like the last tag being typed, each as the whole field's value."""
    typed = next((request.GET[name] for name in TAG_FIELDS if request.GET.get(name)), "")[:500]
    head, _comma, last = typed.rpartition(",")
    head = f"{head.strip()}, " if head.strip() else ""
    already = {part.strip().casefold() for part in head.split(",")}
    names = selectors_tags.tag_suggestions(user=request.user, prefix=last.strip())
    suggestions = [f"{head}{name}" for name in names if name.casefold() not in already]
    return render(request, "tickets/agent/_tag_options.html", {"suggestions": suggestions})


@require_POST
@agents_only
def set_tags(request, reference):
    def perform(ticket, data):
        names = services.ticket_set_tags(ticket=ticket, actor=request.user, tags=data["tags"])
        if not names:
            return ticket, _("The ticket has no tags now.")
        return ticket, _("Tags saved: %(tags)s.") % {"tags": ", ".join(names)}

    return _desk_action(request, reference, form_name="tags_form", form=lambda t: TagsForm(request.POST),
                        perform=perform)


# --- macros --------------------------------------------------------------------------------------


@require_POST
@agents_only
def macro(request, reference):
    """step=preview shows the workspace with what the macro would do (nothing written); step=apply
    applies it (one transaction) and comes back with a message."""
    ticket = _ticket(request, reference)
    form = MacroForm(request.POST, macros=services.macros_for(user=request.user, ticket=ticket))
    if form.is_valid():
        chosen = form.macros[form.cleaned_data["macro"]]
        try:
            if request.POST.get("step") != MacroForm.APPLY:
                plan = services.macro_preview(macro=chosen, ticket=ticket, actor=request.user)
                return render(request, "tickets/agent/workspace.html", workspace_context(
                    request, ticket, macro_form=form, macro_plan=plan, macro_reply_html=render_markdown(plan.reply)))
            entry = services.ticket_macro_apply(macro=chosen, ticket=ticket, actor=request.user)
        except TicketRuleError as error:
            form.add_error(None, error.messages[0])
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("Your role does not allow this change."))
        else:
            if entry is None:
                messages.info(request, _("The macro “%(title)s” changed nothing.") % {"title": chosen.title})
            else:
                messages.success(request, _("The macro “%(title)s” has been applied.") % {"title": chosen.title})
            return redirect("tickets:workspace", reference=ticket.reference)
    ticket.refresh_from_db()
    return render(request, "tickets/agent/workspace.html", workspace_context(request, ticket, macro_form=form))
