"""The live preview of the edit page: the recommendations for the facts as typed, never saved.

With JavaScript, htmx posts the form here as the planner types and swaps in the partial; without
it, the form's "Preview" button posts here and gets the whole edit page back, the form as typed
and the matrix beside it. Both validate through the edit page's own forms, so a value the save
would refuse (or a contradiction, invariant 12) shows as the same error, and no matrix.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.forms import merge_choices_apply
from assessments.models import EDITABLE_STATUSES
from assessments.selectors.preview import Preview, assessment_preview_get
from assessments.templatetags.function_labels import function_label
from assessments.views import assessment_for_edit, edit_forms, edit_forms_valid, edit_page_render

PARTIAL = "assessments/_preview_result.html"


def _errors(context_form, function_forms) -> tuple[tuple[str, str], ...]:
    """(where, message) for each error of the forms, in the page's order."""
    found = []
    labelled = [(None, context_form)] + [(row.function, form) for row, form in function_forms]
    for function, form in labelled:
        for name, errors in form.errors.items():
            label = str(capfirst(form.fields[name].label)) if name in form.fields else ""
            if function is not None:
                label = " · ".join(filter(None, (function_label(function), label)))
            found += [(label, str(message)) for message in errors]
    return tuple(found)


@require_POST
def assessment_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The matrix for the posted facts: a partial for htmx, else the edit page with it."""
    assessment = assessment_for_edit(request, pk)
    partial = request.headers.get("HX-Request") == "true"
    if assessment.status not in EDITABLE_STATUSES:
        # Submitted by someone while this page was open: say so rather than keep a matrix.
        message = _("This assessment is %(status)s: it is read-only.") % {
            "status": assessment.get_status_display()
        }
        if partial:
            return render(request, PARTIAL, {"preview": None, "read_only": message})
        messages.error(request, message)
        return redirect("assessment-detail", pk=pk)
    data = request.POST.copy()
    if any(key.startswith("merge-") for key in data):  # previewed from the conflict page
        merge_choices_apply(data, edit_forms(assessment))
    forms = edit_forms(assessment, data)
    if edit_forms_valid(*forms):
        # The forms' instances carry the typed values; they are never saved here.
        preview = assessment_preview_get(
            assessment=forms[0].instance, rows=[form.instance for _row, form in forms[1]]
        )
    else:
        preview = Preview(errors=_errors(*forms))
    if partial:
        return render(request, PARTIAL, {"preview": preview, "assessment": assessment})
    return edit_page_render(
        request,
        assessment,
        forms,
        base=data.get("base", ""),
        status=400 if preview.errors else 200,
        preview=preview,
    )
