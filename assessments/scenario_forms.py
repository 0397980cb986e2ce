"""Forms of the scenario pages: a scenario's name and note, and its facts as the edit page asks
them. The facts are prefilled with the assessment's values with the scenario's changes applied;
what differs from the assessment is the scenario's `changes`. Shape only: services validate the
changes against the facts and write."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.edit_page import CONTEXT_SECTION, ErrorLink, form_error_links
from assessments.facts import CONTEXT_FACT_SPECS, CONTEXT_FACTS, FUNCTION_FACT_SPECS, FUNCTION_FACTS
from assessments.forms import ContextForm, FunctionFactsForm
from assessments.models import Assessment
from assessments.selectors.labels import fact_value_label
from assessments.selectors.levers import LeverFact, lever_fact
from assessments.templatetags.function_labels import function_label
from integration.engine.levers import FactChange
from integration.text import TEXT_MAX_LENGTH, PlainTextField

# The meta form shares the context form's prefix, so the edit page's conflict merge
# (assessments.forms.conflict_merge) labels its fields as context fields, without a function.
PREFIX = "context"
NAME_MAX_LENGTH = 120
TEXT_FACT_NAMES = {
    spec.name for spec in (*CONTEXT_FACT_SPECS, *FUNCTION_FACT_SPECS) if spec.kind == "text"
}


class ScenarioForm(forms.Form):
    """A scenario's name and note, and the version the page showed (optimistic locking)."""

    name = PlainTextField(label=_("Name"), max_length=NAME_MAX_LENGTH)
    note = PlainTextField(
        label=_("Why it is considered"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ScenarioContextForm(ContextForm):
    """The context facts alone (no date, notes or version: those are the assessment's)."""

    version = None

    class Meta(ContextForm.Meta):
        fields = CONTEXT_FACTS


class ScenarioFunctionForm(FunctionFactsForm):
    """One function's facts alone (no mandate or desired impact: those are the assessment's)."""

    class Meta(FunctionFactsForm.Meta):
        fields = FUNCTION_FACTS


def _function_rows(assessment: Assessment) -> list:
    """The functions in the mandate: the engine reads only those, so a scenario changes only
    those. `function_assessments` is prefetched with the functions by the caller."""
    return [row for row in assessment.function_assessments.all() if row.in_mandate]


def scenario_values(assessment: Assessment, changes: dict[str, Any]) -> dict[str, dict]:
    """{"context": {fact: value}, code: {fact: value}}: the assessment's facts, changed."""
    context_changes = changes.get("context") or {}
    function_changes = changes.get("functions") or {}
    values: dict[str, dict] = {
        PREFIX: {
            name: context_changes.get(name, getattr(assessment, name)) for name in CONTEXT_FACTS
        }
    }
    for row in _function_rows(assessment):
        changed = function_changes.get(row.function.code) or {}
        values[row.function.code] = {
            name: changed.get(name, getattr(row, name)) for name in FUNCTION_FACTS
        }
    return values


@dataclass
class ScenarioForms:
    """Every form of the page; `context` and `functions` in the edit page's shapes."""

    meta: ScenarioForm
    context: ScenarioContextForm
    functions: list[tuple[Any, ScenarioFunctionForm]]
    # The assessment's own facts, read before validation: a model form's validation writes the
    # typed values into its instance (the assessment and its rows, never saved here).
    baseline: dict[str, dict]

    @property
    def merge_shape(self) -> tuple[forms.Form, list]:
        """(first form, [(row, form)…]) as assessments.forms' fingerprint and merge take them:
        the meta form first, then the context, then each function."""
        return self.meta, [(None, self.context), *self.functions]

    def errors_add(self, errors: dict[str, Any]) -> None:
        errors_add(self, errors)

    def all(self) -> list[forms.BaseForm]:
        return [self.meta, self.context, *(form for _row, form in self.functions)]

    def is_valid(self) -> bool:
        results = [form.is_valid() for form in self.all()]  # every form: every error at once
        return all(results)

    @property
    def has_errors(self) -> bool:
        return any(form.errors for form in self.all())


def scenario_forms(assessment: Assessment, *, scenario=None, data=None) -> ScenarioForms:
    """The page's forms, prefilled from `scenario` (None: a new one) over `assessment`."""
    baseline = scenario_values(assessment, {})
    values = scenario_values(assessment, scenario.changes if scenario else {})
    meta_initial = (
        {"name": scenario.name, "note": scenario.note, "version": scenario.version}
        if scenario
        else {}
    )
    return ScenarioForms(
        meta=ScenarioForm(data, initial=meta_initial, prefix=PREFIX),
        context=ScenarioContextForm(
            data, instance=assessment, initial=values[PREFIX], prefix=PREFIX
        ),
        functions=[
            (
                row,
                ScenarioFunctionForm(
                    data, instance=row, initial=values[row.function.code], prefix=row.function.code
                ),
            )
            for row in _function_rows(assessment)
        ],
        baseline=baseline,
    )


def _same(first: Any, second: Any) -> bool:
    if isinstance(first, str) and isinstance(second, str):
        return first.replace("\r\n", "\n").strip() == second.replace("\r\n", "\n").strip()
    if isinstance(first, list | tuple) and isinstance(second, list | tuple):
        return sorted(map(str, first)) == sorted(map(str, second))
    return first == second


def _differences(form: forms.ModelForm, baseline: dict[str, Any]) -> dict[str, Any]:
    return {
        name: form.cleaned_data[name]
        for name in form._meta.fields
        if name in form.cleaned_data and not _same(form.cleaned_data[name], baseline[name])
    }


def scenario_changes_from(scenario_forms_: ScenarioForms) -> dict:
    """The valid forms' facts that differ from the assessment's saved ones: the changes."""
    baseline = scenario_forms_.baseline
    functions = {}
    for row, form in scenario_forms_.functions:
        changed = _differences(form, baseline[row.function.code])
        if changed:
            functions[row.function.code] = changed
    return {
        "context": _differences(scenario_forms_.context, baseline[PREFIX]),
        "functions": functions,
    }


def errors_add(scenario_forms_: ScenarioForms, errors: dict[str, Any]) -> None:
    """Put the service's errors ({"context.phase": …, "functions.ddr.funding_source": …,
    "name": …}) on their fields; an error with no field shown goes to the name's form."""
    by_code = {row.function.code: form for row, form in scenario_forms_.functions}
    for path, message in errors.items():
        text = message if isinstance(message, str) else "; ".join(map(str, message))
        head, _dot, rest = path.partition(".")
        form, field = scenario_forms_.meta, None
        if head in scenario_forms_.meta.fields and not rest:
            field = head
        elif head == "context" and rest in scenario_forms_.context.fields:
            form, field = scenario_forms_.context, rest
        elif head == "functions":
            code, _dot, name = rest.partition(".")
            if code in by_code and name in by_code[code].fields:
                form, field = by_code[code], name
        if field is None:
            text = gettext("%(label)s: %(message)s") % {"label": path, "message": text}
        form.add_error(field, text)


def error_links(scenario_forms_: ScenarioForms) -> list[ErrorLink]:
    """The error summary at the top of the page, in the page's order."""
    links = form_error_links(scenario_forms_.meta, "scenario-form", gettext("Scenario"))
    links += form_error_links(scenario_forms_.context, CONTEXT_SECTION, gettext("Context"))
    for row, form in scenario_forms_.functions:
        section = f"function-{row.function.code}"
        links += form_error_links(form, section, str(function_label(row.function)))
    return links


# --- what the form page shows around the forms -------------------------------------------


def _changed(form: forms.ModelForm, baseline: dict[str, Any]) -> list[str]:
    """The facts of `form` that differ from the assessment's: as typed (valid fields) once
    bound, as saved in the scenario before."""
    if form.is_bound:
        values = getattr(form, "cleaned_data", {})
    else:
        values = {name: form[name].initial for name in form._meta.fields}
    return [
        name
        for name in form._meta.fields
        if name in values and not _same(values[name], baseline[name])
    ]


def _mark_changed(form: forms.ModelForm, baseline: dict[str, Any]) -> list[str]:
    """Say beside each changed fact what the assessment holds; the changed facts' labels."""
    labels = []
    for name in _changed(form, baseline):
        field = form.fields[name]
        held = fact_value_label(name, baseline[name])
        if name in TEXT_FACT_NAMES:
            held = held or "—"
        text = gettext("Changed in this scenario; the assessment holds: %(value)s") % {
            "value": held
        }
        # The bound field copied the help text when the page first read it: set both.
        field.help_text = form[name].help_text = text
        labels.append(str(field.label))
    return labels


@dataclass(frozen=True)
class Section:
    """One function's part of the form, folded unless it is changed or needs attention."""

    row: Any
    form: ScenarioFunctionForm
    anchor: str
    changed: list[str]
    error_count: int

    @property
    def open(self) -> bool:
        return bool(self.changed or self.error_count)


def form_sections(scenario_forms_: ScenarioForms) -> dict[str, Any]:
    """The sections of the page and what each changes, from the (bound or unbound) forms."""
    baseline = scenario_forms_.baseline
    sections = [
        Section(
            row=row,
            form=form,
            anchor=f"function-{row.function.code}",
            changed=_mark_changed(form, baseline[row.function.code]),
            error_count=sum(len(errors) for errors in form.errors.values()),
        )
        for row, form in scenario_forms_.functions
    ]
    context = scenario_forms_.context
    return {
        "context_changed": _mark_changed(context, baseline[PREFIX]),
        "context_error_count": sum(len(errors) for errors in context.errors.values()),
        "sections": sections,
    }


def change_rows(assessment: Assessment, scenario) -> list[LeverFact]:
    """Each change of `scenario` as "fact: the assessment's value → the scenario's"."""
    rows_by_code = {row.function.code: row for row in assessment.function_assessments.all()}
    found = [
        lever_fact(
            FactChange(
                fact=f"context.{name}",
                function=None,
                from_value=getattr(assessment, name, None),
                to_value=value,
            )
        )
        for name, value in (scenario.changes.get("context") or {}).items()
    ]
    for code, facts in (scenario.changes.get("functions") or {}).items():
        row = rows_by_code.get(code)
        found += [
            lever_fact(
                FactChange(
                    fact=f"function.{name}",
                    function=code,
                    from_value=getattr(row, name, None),
                    to_value=value,
                )
            )
            for name, value in facts.items()
        ]
    return found


def change_count(changes: dict[str, Any]) -> int:
    """How many facts a scenario's `changes` set."""
    functions = changes.get("functions") or {}
    return len(changes.get("context") or {}) + sum(len(facts) for facts in functions.values())
