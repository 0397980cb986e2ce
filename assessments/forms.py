"""Forms for assessments: shape validation only; services do the writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import CONTEXT_FACTS, Assessment, FunctionAssessment
from integration.choices import choices
from integration.engine import vocabulary as v


class ContextForm(forms.ModelForm):
    """The context facts of an assessment, plus its date and notes."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Assessment
        fields = ("as_of", *CONTEXT_FACTS, "notes")
        widgets = {"as_of": forms.DateInput(attrs={"type": "date"})}


class FunctionFactsForm(forms.ModelForm):
    """The facts of one function; prefixed with the function code inside a page."""

    dimensions = forms.MultipleChoiceField(
        label=_("Dimensions"),
        choices=choices(v.DIMENSIONS),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Components that must be linked to reach the desired impact."),
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
