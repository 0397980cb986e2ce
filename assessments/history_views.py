"""An assessment's history page: who changed what and when, in labels rather than field names."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from assessments.models import Assessment, FunctionAssessment, HistoryEntry
from assessments.templatetags.function_labels import function_label
from assessments.views import assessment_for_read
from integration.engine import vocabulary


def _field_meta(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _change_label(key: str, functions: dict[str, str]) -> str:
    """A change's key in words: "ddr.desired_impact" → "<DDR's name> · Desired impact"."""
    details = {
        "prefilled_from": _("Prefilled from assessment no."),
        "comment": _("Comment"),
        "justification": _("Justification"),
        "scenario": _("Scenario applied"),
    }
    if key in details:
        return details[key]
    head, _dot, tail = key.partition(".")
    if not tail:
        field = _field_meta(Assessment, key)
        return capfirst(field.verbose_name) if field else key
    field = _field_meta(FunctionAssessment, tail)
    levels = dict(vocabulary.LEVELS)
    name = capfirst(field.verbose_name) if field else gettext(levels.get(tail, tail))
    return f"{functions.get(head, head)} · {name}"


def _change_value(key: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    head, _dot, tail = key.partition(".")
    field = _field_meta(FunctionAssessment if tail else Assessment, tail or head)
    if field is not None and field.choices:
        return str(dict(field.choices).get(value, value))
    if tail in dict(vocabulary.LEVELS):  # an override: the value is a degree
        return gettext(dict(vocabulary.DEGREES).get(value, value))
    if isinstance(value, list):
        dimensions = dict(vocabulary.DIMENSIONS)
        return ", ".join(gettext(dimensions.get(item, item)) for item in value)
    return str(value)


def assessment_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed what and when, newest first, in labels rather than field names."""
    assessment = assessment_for_read(request, pk)
    entries = list(HistoryEntry.objects.filter(assessment=assessment).select_related("actor"))
    functions = {
        row.function.code: function_label(row.function)
        for row in assessment.function_assessments.all()
    }
    for entry in entries:
        # Saves record [before, after] pairs; review steps record plain details.
        entry.rows = [
            (
                _change_label(key, functions),
                _change_value(key, value[0]),
                _change_value(key, value[1]),
                True,
            )
            if isinstance(value, list) and len(value) == 2
            else (_change_label(key, functions), _change_value(key, value), None, False)
            for key, value in entry.changes.items()
        ]
    return render(
        request,
        "assessments/history.html",
        {"assessment": assessment, "entries": entries},
    )
