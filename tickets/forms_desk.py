"""Forms of the agent desk's ticket actions: merge, split (and, below, tags, macros, watchers).
They parse and explain; the services decide and write."""

from __future__ import annotations

from django import forms
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from tickets.models import EventCode, Ticket
from tickets.services.macros import macros_for


class MergeForm(forms.Form):
    into = forms.CharField(
        label=_("Main ticket"), max_length=20,
        help_text=_("The reference of the ticket this one duplicates, e.g. HD-2026-000042. This ticket is closed; "
                    "its conversation, files, effort and watchers move there."),
    )


def _comment_label(comment) -> str:
    when = date_format(comment.created_at, "SHORT_DATETIME_FORMAT")
    text = Truncator(comment.body.replace("\n", " ")).chars(60) or _("(files only)")
    return f"{when} · {comment.author or '—'} · {text}"


class SplitForm(forms.Form):
    comment = forms.TypedChoiceField(label=_("Message"), coerce=int)
    subject = forms.CharField(
        label=_("Subject of the new ticket"), max_length=Ticket._meta.get_field("subject").max_length
    )

    def __init__(self, *args, comments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.comments = {comment.pk: comment for comment in comments}
        self.fields["comment"].choices = [(pk, _comment_label(c)) for pk, c in self.comments.items()]
        self.fields["comment"].help_text = _(
            "The customer's message becomes a new ticket of the same organisation, with its own service level "
            "from the message's time."
        )


class TagsForm(forms.Form):
    tags = forms.CharField(
        label=_("Tags"), max_length=1000, required=False,
        help_text=_("Separated by commas, e.g. vpn, printer. Only agents see them."),
        widget=forms.TextInput(attrs={"list": "tag-suggestions", "autocomplete": "off"}),
    )


def desk_forms(ticket, user=None, events=None) -> dict:
    """The workspace's unbound desk forms (merge, split, tags, macros). `events`: the timeline's
    events (with their comments), whose public messages are the ones to split off (no query)."""
    if events is None:
        comments = ticket.comments.filter(is_internal=False).select_related("author").order_by("-created_at", "-pk")
    else:
        for event in events:  # the reply's author is its event's actor: no query per message
            comment = event.comment if event.code == EventCode.REPLY_ADDED else None
            if comment is not None and event.actor_id == comment.author_id:
                comment.author = event.actor
        comments = sorted(
            {e.comment.pk: e.comment for e in events if e.comment_id and e.comment is not None
             and e.code == EventCode.REPLY_ADDED and not e.comment.is_internal and e.comment.ticket_id == ticket.pk
             }.values(), key=lambda c: (c.created_at, c.pk), reverse=True)
    tags = ", ".join(sorted(ticket.tags.names(), key=str.casefold))
    return {"merge_form": MergeForm(), "split_form": SplitForm(comments=comments),
            "tags_form": TagsForm(initial={"tags": tags}),
            "macro_form": MacroForm(macros=macros_for(user=user, ticket=ticket) if user is not None else ())}


class MacroForm(forms.Form):
    PREVIEW, APPLY = "preview", "apply"

    macro = forms.TypedChoiceField(label=_("Macro"), coerce=int)

    def __init__(self, *args, macros=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.macros = {macro.pk: macro for macro in macros}
        self.fields["macro"].choices = [
            (pk, f"{macro.title} · {macro.team or _('personal')}") for pk, macro in self.macros.items()
        ]
