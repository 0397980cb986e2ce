"""Widgets of the assessment forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext


class SubmittedChoiceSelect(forms.Select):
    """A select that keeps a value it does not offer (a tampered or retired one) as its selected
    option, marked as not accepted. A plain select would show its first option instead, and
    saving the page again would store that silently."""

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        offered = {str(choice) for choice, _label in self.choices}
        for missing in [item for item in value if item not in offered and item != ""]:
            label = gettext("“%(value)s” (not accepted: choose another value)") % {"value": missing}
            option = self.create_option(name, missing, label, True, len(groups), attrs=attrs)
            groups.append((None, [option], len(groups)))
        return groups


def submitted_choices_keep(fields: dict[str, forms.Field]) -> None:
    """Give every plain select of `fields` the SubmittedChoiceSelect behaviour."""
    for field in fields.values():
        if type(field.widget) is forms.Select:
            kept = SubmittedChoiceSelect()
            kept.__dict__.update(field.widget.__dict__)
            field.widget = kept
