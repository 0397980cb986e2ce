"""What the edit page shows around its forms: the error summary, the completeness count and the
state of each collapsible section. Presentation only: the forms validate, services write."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext

from assessments.templatetags.function_labels import function_label

CONTEXT_SECTION = "section-context"


@dataclass(frozen=True)
class ErrorLink:
    """One line of the error summary: the section, and the message linked to its field."""

    href: str
    section: str
    text: str


@dataclass(frozen=True)
class Section:
    """One function's part of the form, folded unless it needs the planner."""

    row: object  # the FunctionAssessment
    form: forms.ModelForm
    anchor: str
    in_mandate: bool
    has_impact: bool
    error_count: int

    @property
    def open(self) -> bool:
        # Done or out of the mandate: folded, so the page shows what is left to do.
        return bool(self.error_count) or (self.in_mandate and not self.has_impact)


def _field_anchor(form: forms.BaseForm, name: str, section: str) -> str:
    if name not in form.fields:
        return f"#{section}"
    bound = form[name]
    widget = bound.field.widget
    if getattr(widget, "allow_multiple_selected", False) and bound.auto_id:
        return f"#{bound.auto_id}_0"  # a checkbox group: its first box
    return f"#{bound.auto_id}"


def _message(form: forms.BaseForm, name: str, message: str) -> str:
    """The message, led by its field's label unless it names the field already."""
    if name not in form.fields:
        return message
    label = str(form[name].label)
    if message.casefold().startswith(label.casefold()):
        return message
    # French puts a no-break space before the colon: the catalogue's msgstr has it.
    return gettext("%(label)s: %(message)s") % {"label": label, "message": message}


def form_error_links(form: forms.BaseForm, section: str, title: str) -> list[ErrorLink]:
    """The summary's lines for `form`'s errors: each linked to its field (to the `section`
    anchor for an error of no field), under the section's `title`. The edit and scenario
    pages share it."""
    return [
        ErrorLink(
            href=_field_anchor(form, name, section),
            section=title,
            text=_message(form, name, str(message)),
        )
        for name, errors in form.errors.items()
        for message in errors
    ]


def _bool_value(form: forms.BaseForm, name: str) -> bool:
    return bool(form.fields[name].to_python(form[name].value()))


def _text_value(form: forms.BaseForm, name: str) -> str:
    return str(form[name].value() or "").strip()


def edit_page_context(context_form: forms.BaseForm, function_forms) -> dict[str, object]:
    """The template's error summary, sections and completeness count, from the (bound or
    unbound) forms: what the page shows is what the planner typed, not what was saved."""
    sections = [
        Section(
            row=row,
            form=form,
            anchor=f"function-{row.function.code}",
            in_mandate=_bool_value(form, "in_mandate"),
            has_impact=bool(_text_value(form, "desired_impact")),
            error_count=sum(len(errors) for errors in form.errors.values()),
        )
        for row, form in function_forms
    ]
    errors = form_error_links(context_form, CONTEXT_SECTION, gettext("Context"))
    for section in sections:
        label = str(function_label(section.row.function))
        errors.extend(form_error_links(section.form, section.anchor, label))
    in_mandate = [section for section in sections if section.in_mandate]
    return {
        "error_links": errors,
        "context_error_count": sum(len(e) for e in context_form.errors.values()),
        "sections": sections,
        "mandate_count": len(in_mandate),
        "impact_count": sum(1 for section in in_mandate if section.has_impact),
    }
