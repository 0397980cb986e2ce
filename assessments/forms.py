"""Forms for assessments and review: shape validation only; services do the writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.help_texts import CHOICE_HELP, FACT_HELP
from assessments.models import CONTEXT_FACTS, Assessment, FunctionAssessment
from integration.choices import choices
from integration.engine import vocabulary as v


def _explain(form: forms.BaseForm) -> None:
    """Attach the help text of every fact, and the meaning of every value, to its field."""
    for name, field in form.fields.items():
        if name in FACT_HELP:
            field.help_text = FACT_HELP[name]
        if name in CHOICE_HELP:
            labels = dict(field.choices)
            field.choice_help = [
                (labels.get(value, value), text) for value, text in CHOICE_HELP[name].items()
            ]


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
            "as_of": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _explain(self)


class FunctionFactsForm(forms.ModelForm):
    """The facts of one function; prefixed with the function code inside a page."""

    dimensions = forms.MultipleChoiceField(
        label=_("Dimensions"),
        choices=choices(v.DIMENSIONS),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = FunctionAssessment
        fields = (
            "in_mandate",
            "dimensions",
            "conflicting_imperatives",
            "unct_programmes",
            "funding_source",
            "desired_impact",
        )
        widgets = {"desired_impact": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _explain(self)


class ReviewForm(forms.Form):
    """Approve (comment optional) or return (comment required) a submitted assessment."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment for the planners"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to return the assessment; optional when approving."),
    )


class OverrideForm(forms.Form):
    """An HQ decision that replaces one recommendation's degree, with its justification."""

    degree = forms.ChoiceField(label=_("Degree decided by HQ"), choices=choices(v.DEGREES))
    justification = forms.CharField(
        label=_("Justification"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why HQ departs from the engine's answer. Planners will read it."),
    )
