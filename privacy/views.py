"""Data protection pages, for administrators: find a person, export their data, erase them."""

import tempfile

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import access

from . import selectors, services
from .forms import ErasureForm, PersonSearchForm

admins_only = access.role_required(
    access.may_manage_personal_data, gettext_lazy("Data protection is for administrators.")
)


def _person(request, pk: int):
    person = selectors.person_for(actor=request.user, pk=pk)
    if person is None:
        raise Http404
    return person


@require_GET
@admins_only
def privacy_index(request):
    form = PersonSearchForm(request.GET or None)
    people = []
    if form.is_valid() and form.cleaned_data["q"]:
        people = selectors.people_matching(actor=request.user, text=form.cleaned_data["q"])
    return render(request, "privacy/index.html", {"form": form, "people": people})


@require_GET
@admins_only
def privacy_person(request, pk: int):
    person = _person(request, pk)
    return render(request, "privacy/person.html", {
        "person": person,
        "erasure": selectors.erasure_of(person=person),
        "exports": selectors.exports_of(person=person)[:10],
        "form": ErasureForm(),
    })


@require_POST
@admins_only
def privacy_export(request, pk: int):
    person = _person(request, pk)
    now = timezone.now()
    archive = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response)
    services.person_export(person=person, actor=request.user, out=archive, now=now)
    archive.seek(0)
    filename = f"personal-data-{person.pk}-{timezone.localtime(now):%Y%m%d-%H%M}.zip"
    return FileResponse(archive, as_attachment=True, filename=filename, content_type="application/zip")


@require_http_methods(["POST"])
@admins_only
def privacy_erase(request, pk: int):
    person = _person(request, pk)
    form = ErasureForm(request.POST)
    if form.is_valid():
        try:
            erased = services.person_erase(
                person=person, actor=request.user, reason=form.cleaned_data["reason"],
                confirmation=form.cleaned_data["confirmation"], now=timezone.now(),
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(name if name in form.fields else None, message)
        else:
            if erased.created:
                messages.success(request, _("The person's data was erased."))
            else:
                messages.info(request, _("This person had already been erased."))
            return redirect("privacy:person", pk=person.pk)
    return render(request, "privacy/person.html", {
        "person": person,
        "erasure": selectors.erasure_of(person=person),
        "exports": selectors.exports_of(person=person)[:10],
        "form": form,
    }, status=400)
