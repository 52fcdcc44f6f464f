"""The knowledge base for agents: the list of every article they may see, writing and changing,
images, the history with diffs, publishing and archiving (managers), and a draft from a ticket."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import access
from tickets import selectors as ticket_selectors
from tickets.models import Comment

from .. import selectors, services
from ..choices import ArticleStatus
from ..diffs import history_with_diffs
from ..forms import ArticleForm, FromTicketForm, ImageForm
from ..rules import may_publish

writers_only = access.role_required(access.is_agent, _("Only agents write articles."))
FIELDS = ("kind", "visibility", "title_de", "body_de", "title_en", "body_en", "category", "organisations")


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@require_GET
@writers_only
def manage_list(request):
    status = request.GET.get("status", "")
    articles = selectors.articles_for_editing(user=request.user, status=status)[:200]
    return render(request, "knowledge/agent/list.html", {
        "articles": articles, "status": status, "statuses": ArticleStatus.choices,
    })


@require_http_methods(["GET", "POST"])
@writers_only
def article_create(request):
    form = ArticleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_create(actor=request.user, now=timezone.now(),
                                              **{field: form.cleaned_data[field] for field in FIELDS})
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The draft has been saved. A manager publishes it."))
            return redirect("knowledge:edit", slug=article.slug)
    return render(request, "knowledge/agent/edit.html", {"form": form, "article": None})


def _editable(request, slug):
    return selectors.article_get_for_user(user=request.user, slug=slug)


@require_http_methods(["GET", "POST"])
@writers_only
def article_edit(request, slug):
    article = _editable(request, slug)
    initial = {field: getattr(article, field) for field in FIELDS if field not in ("category", "organisations")}
    initial.update(category=article.category_id, organisations=list(article.organisations.all()))
    form = ArticleForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            article, changed = services.article_update(article=article, actor=request.user, now=timezone.now(),
                                                       **{field: form.cleaned_data[field] for field in FIELDS})
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The article has been saved.") if changed else _("Nothing was changed."))
            return redirect("knowledge:edit", slug=article.slug)
    return render(request, "knowledge/agent/edit.html", {
        "form": form, "article": article, "image_form": ImageForm(), "images": list(article.images.all()),
        "may_publish": may_publish(request.user),
    })


@require_POST
@writers_only
def image_upload(request, slug):
    article = _editable(request, slug)
    form = ImageForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose an image to upload."))
    else:
        try:
            services.article_image_add(article=article, actor=request.user, now=timezone.now(),
                                       uploaded=form.cleaned_data["image"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The image has been added. Paste its Markdown into the text."))
    return redirect("knowledge:edit", slug=article.slug)


def _status_change(request, slug, service, done: str):
    if not may_publish(request.user):
        raise PermissionDenied(_("Only managers publish and archive articles."))
    article = _editable(request, slug)
    _article, changed = service(article=article, actor=request.user, now=timezone.now())
    messages.success(request, done if changed else _("Nothing was changed."))
    return redirect("knowledge:article", slug=article.slug)


@require_POST
@writers_only
def article_publish(request, slug):
    return _status_change(request, slug, services.article_publish, _("The article has been published."))


@require_POST
@writers_only
def article_archive(request, slug):
    return _status_change(request, slug, services.article_archive, _("The article has been archived."))


@require_GET
@writers_only
def article_history(request, slug):
    article = _editable(request, slug)
    return render(request, "knowledge/agent/history.html", {
        "article": article, "rows": history_with_diffs(selectors.article_revisions(article=article)),
    })


@require_POST
@writers_only
def article_from_ticket(request, reference):
    """A draft article from the ticket's workaround or one of its public replies."""
    ticket = ticket_selectors.ticket_get_for_user(user=request.user, reference_or_id=reference)
    form = FromTicketForm(request.POST)
    comment = None
    if form.is_valid() and form.cleaned_data["comment"]:
        comment = Comment.objects.filter(ticket=ticket, pk=form.cleaned_data["comment"]).first()
        if comment is None:
            messages.error(request, _("This reply is not part of the ticket."))
            return redirect("tickets:workspace", reference=ticket.reference)
    try:
        article = services.article_from_ticket(ticket=ticket, actor=request.user, now=timezone.now(), comment=comment)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("tickets:workspace", reference=ticket.reference)
    messages.success(
        request, _("A draft article has been written from the ticket. Check it and ask a manager to publish it.")
    )
    return redirect("knowledge:edit", slug=article.slug)
