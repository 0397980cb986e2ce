"""Forms for assessments and review: shape validation only; services do the writes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.facts import (
    CONTEXT_FACT_SPECS,
    CONTEXT_FACTS,
    FUNCTION_FACT_SPECS,
    FUNCTION_FACTS,
    fact_message,
)
from assessments.form_widgets import submitted_choices_keep
from assessments.help_texts import CHOICE_HELP, FACT_HELP
from assessments.models import AS_OF_EARLIEST, Assessment, FunctionAssessment, as_of_check
from assessments.selectors.labels import contradiction_message
from assessments.templatetags.function_labels import function_label
from integration import engine
from integration.choices import choices, fact_not_a_number
from integration.engine import vocabulary
from integration.text import TEXT_MAX_LENGTH, PlainTextField


def _explain(fields: dict[str, forms.Field]) -> None:
    """Attach the help text of every fact, and the meaning of every value, to its field."""
    submitted_choices_keep(fields)
    for name, field in fields.items():
        if name in FACT_HELP:
            field.help_text = FACT_HELP[name]
        if name in CHOICE_HELP:
            labels = dict(field.choices)
            field.choice_help = [
                (labels.get(value, value), text) for value, text in CHOICE_HELP[name].items()
            ]


_MAXIMUMS = {spec.name: spec.maximum for spec in CONTEXT_FACT_SPECS if spec.maximum is not None}
# Free-text facts keep Django's own messages (length, characters): no value is "not allowed".
_TEXT_FACTS = {
    spec.name for spec in (*CONTEXT_FACT_SPECS, *FUNCTION_FACT_SPECS) if spec.kind == "text"
}


def _name_facts(form_class: type[forms.ModelForm], facts: Iterable[str]) -> None:
    """Make every "bad value" error of a fact name the fact and list what it accepts.

    The model says the same (FactValidationMixin), so the message is one whichever layer
    refuses the value.
    """
    for name in facts:
        field = form_class.base_fields.get(name)
        if field is None or name in _TEXT_FACTS:
            continue
        model_field = form_class._meta.model._meta.get_field(name)
        message = fact_message(model_field)
        field.error_messages |= dict.fromkeys(("invalid_choice", "min_value", "max_value"), message)
        if isinstance(field, forms.IntegerField):
            # Django raises "invalid" (not a number) without the value to show.
            field.error_messages["invalid"] = fact_not_a_number(
                model_field.verbose_name, 0, _MAXIMUMS[name]
            )


class ContextForm(forms.ModelForm):
    """The context facts of an assessment, plus its date and notes.

    Every choice is prefilled (from the previous assessment or the catalogue), so a draft can be
    saved at any time; completeness is checked when the assessment is submitted.
    """

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Assessment
        fields = ("as_of", *CONTEXT_FACTS, "notes")
        widgets = {
            "as_of": forms.DateInput(
                attrs={"type": "date", "min": AS_OF_EARLIEST.isoformat()}, format="%Y-%m-%d"
            ),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_as_of(self) -> dt.date:
        as_of = self.cleaned_data["as_of"]
        as_of_check(as_of)
        return as_of


class FunctionFactsForm(forms.ModelForm):
    """The facts of one function; prefixed with the function code inside a page."""

    dimensions = forms.MultipleChoiceField(
        label=_("Dimensions"),
        choices=choices(vocabulary.DIMENSIONS),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = FunctionAssessment
        fields = ("in_mandate", *FUNCTION_FACTS, "desired_impact")
        widgets = {
            name: forms.Textarea(attrs={"rows": 2}) for name in ("desired_impact", *_TEXT_FACTS)
        }

    def clean_dimensions(self) -> list[str]:
        # Stored in vocabulary order whatever order was posted, so the same set always reads
        # (and compares) the same.
        chosen = set(self.cleaned_data["dimensions"])
        return [value for value in vocabulary.values(vocabulary.DIMENSIONS) if value in chosen]


def _fields_prepare(form_class: type[forms.ModelForm], facts: Iterable[str]) -> None:
    """Help texts, fact-naming errors and kept submitted choices, set once on the class's fields:
    every form deep-copies them, and the edit page and each live preview build 13 forms (the
    messages are lazy, so they read in the language active when shown)."""
    _explain(form_class.base_fields)
    _name_facts(form_class, facts)


_fields_prepare(ContextForm, CONTEXT_FACTS)
# Every choice is prefilled, so an empty option would only let a draft lose a value.
for _field in ContextForm.base_fields.values():
    if isinstance(_field, forms.TypedChoiceField) and _field.required:
        _field.choices = [(value, label) for value, label in _field.choices if value != ""]
_fields_prepare(FunctionFactsForm, FUNCTION_FACTS)


def contradictions_add(context_form: ContextForm, function_forms) -> bool:
    """Put every contradiction among valid forms' facts (invariant 12) on both of its fields;
    True when there was none. The engine would refuse them; the form says which fields."""
    found = False
    context = dict(context_form.cleaned_data)  # add_error drops a field from cleaned_data
    for error in engine.context_contradictions(context):
        found = True
        message = contradiction_message(error)
        for path in error.paths:
            context_form.add_error(path.rsplit(".", 1)[-1], message)
    for _row, form in function_forms:
        data = form.cleaned_data
        if "pooled_fund" not in context or "funding_source" not in data:
            continue  # one of the two is already refused: its own error says so
        error = engine.function_contradiction(context["pooled_fund"], data["funding_source"])
        if error is not None and data.get("in_mandate"):
            found = True
            message = contradiction_message(error)
            form.add_error("funding_source", message)
            if "pooled_fund" not in context_form.errors:
                context_form.add_error("pooled_fund", message)
    return not found


class ReviewForm(forms.Form):
    """Approve (comment optional) or return (comment required) a submitted assessment."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = PlainTextField(
        label=_("Comment for the planners"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to return the assessment; optional when approving."),
    )


class OverrideForm(forms.Form):
    """An HQ decision that replaces one recommendation's degree, with its justification."""

    degree = forms.ChoiceField(label=_("Degree decided by HQ"), choices=choices(vocabulary.DEGREES))
    justification = PlainTextField(
        label=_("Justification"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why HQ departs from the engine's answer. Planners will read it."),
    )


# --- merging after a conflict ---------------------------------------------------------------
#
# Each edit page carries a fingerprint of the values it showed ("base"). When a save meets a
# newer version, comparing base, saved and typed values per field says who changed what: a field
# only the other person changed keeps their value, a field only this user changed keeps theirs,
# and a field both changed differently is a real conflict the user settles by choosing.


def _comparable(value: Any) -> Any:
    """One comparable, JSON-able form of a field value (saved or cleaned)."""
    if isinstance(value, list | tuple):
        return sorted(str(item) for item in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return value


def _value_digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(_comparable(value)).encode()).hexdigest()[:16]


def _all_forms(context_form, function_forms) -> Iterable[forms.BaseForm]:
    yield context_form
    for _row, form in function_forms:
        yield form


def forms_fingerprint(context_form, function_forms) -> str:
    """{field name: digest of its saved value}, as JSON for a hidden input."""
    return json.dumps(
        {
            form[name].html_name: _value_digest(form[name].initial)
            for form in _all_forms(context_form, function_forms)
            for name in form.fields
            if name != "version"
        },
        sort_keys=True,
    )


def _fingerprint_read(text: str | None) -> dict[str, str]:
    try:
        base = json.loads(text or "{}")
    except ValueError:
        return {}
    return base if isinstance(base, dict) else {}


def _display(bound: forms.BoundField, value: Any) -> str:
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if value in (None, "", []):
        return "—"
    labels = {str(key): label for key, label in getattr(bound.field, "choices", ())}
    if isinstance(value, list | tuple):
        return ", ".join(str(labels.get(str(item), item)) for item in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(labels.get(str(value), value))


def _posted_value_set(data: QueryDict, bound: forms.BoundField, value: Any) -> None:
    """Write `value` into posted data the way its widget would have posted it."""
    name = bound.html_name
    if isinstance(bound.field.widget, forms.CheckboxInput):
        if value:
            data[name] = "on"
        else:
            data.pop(name, None)
    elif isinstance(value, list | tuple):
        data.setlist(name, [str(item) for item in value])
    elif value is None:
        data[name] = ""
    elif isinstance(value, dt.date):
        data[name] = value.isoformat()
    else:
        data[name] = str(value)


@dataclass(frozen=True)
class ConflictRow:
    """One field whose saved value differs from what the user posted."""

    name: str  # the field's html name
    label: str
    saved: str
    mine: str
    # "theirs": only the other person changed it (their value is kept);
    # "mine": only this user changed it (theirs is kept); "both": the user chooses.
    outcome: str


def merge_choices_apply(data: QueryDict, saved_forms) -> None:
    """Replace posted values by saved ones where the user chose "keep the saved value"."""
    for form in _all_forms(*saved_forms):
        for name in form.fields:
            bound = form[name]
            if data.get(f"merge-{bound.html_name}") == "saved":
                _posted_value_set(data, bound, bound.initial)


def conflict_merge(
    *, data: QueryDict, posted_forms, saved_forms
) -> tuple[QueryDict, list[ConflictRow]]:
    """Merge what the user posted (valid forms) with the saved version, field by field.

    Returns the data for the next form (against the saved version) and one row per difference.
    """
    base = _fingerprint_read(data.get("base"))
    merged = data.copy()
    rows: list[ConflictRow] = []
    saved_all = list(_all_forms(*saved_forms))
    for posted, saved_form in zip(_all_forms(*posted_forms), saved_all, strict=True):
        for name in saved_form.fields:
            if name == "version":
                continue
            bound = saved_form[name]
            saved, mine = bound.initial, posted.cleaned_data.get(name)
            if _comparable(saved) == _comparable(mine):
                continue
            was = base.get(bound.html_name)
            if was == _value_digest(mine):
                outcome = "theirs"
                _posted_value_set(merged, bound, saved)
            elif was == _value_digest(saved):
                outcome = "mine"
            else:
                outcome = "both"
            label = str(bound.label)
            if posted.prefix and posted.prefix != "context":
                label = f"{function_label(posted.instance.function)} · {label}"
            rows.append(
                ConflictRow(
                    name=bound.html_name,
                    label=label,
                    saved=_display(bound, saved),
                    mine=_display(bound, mine),
                    outcome=outcome,
                )
            )
    return merged, rows
