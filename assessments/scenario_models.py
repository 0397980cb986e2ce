"""Scenarios: named sets of fact changes against an assessment, compared with its baseline.

Kept out of models.py (which stays under 400 lines); imported at its bottom so Django registers
the model. The changes are stored in the API's shape and validated by the engine
(assessments.scenario_services.scenario_changes_clean).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from integration.text import TEXT_MAX_LENGTH, validate_xml_text

# The comparison shows the baseline and at most this many scenarios side by side.
MAX_COMPARED = 3


class Scenario(models.Model):
    """A named set of fact changes against one assessment, with a note on why it is considered."""

    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        related_name="scenarios",
        verbose_name=_("assessment"),
    )
    name = models.CharField(_("name"), max_length=120, validators=[validate_xml_text])
    note = models.TextField(
        _("note"), blank=True, max_length=TEXT_MAX_LENGTH, validators=[validate_xml_text]
    )
    # {"context": {fact: value}, "functions": {function_code: {fact: value}}}: engine facts only,
    # values in the API's shape (as assessment_facts_get gives them).
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # Optimistic locking, as for assessments: every write bumps it conditionally.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        ordering = ("assessment", "created_at", "id")
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        constraints = [
            models.UniqueConstraint(
                fields=("assessment", "name"), name="scenario_name_unique_per_assessment"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="scenario_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} · {self.name}"
