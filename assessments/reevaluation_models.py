"""Re-evaluation jobs: re-evaluating every stored assessment under a rulebook, from the admin.

The row is the source of truth, as for report jobs (reports.models.ReportJob): Celery carries
only its id, and a worker claims it with a conditional UPDATE. Imported by assessments.models.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from integration.jobs import JOB_ACTIVE_STATES, ClaimedJob, JobState
from integration.models import Rulebook


class ReevaluationJob(ClaimedJob):
    """One re-evaluation of every evaluated assessment under a rulebook: how far it got, and
    what it changed."""

    rulebook = models.ForeignKey(
        Rulebook, on_delete=models.PROTECT, related_name="+", verbose_name=_("rulebook")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    # State, attempts, error, claim and timestamps: integration.jobs.ClaimedJob.
    # Evaluated assessments when the job was requested, and how many have been gone through.
    total = models.PositiveIntegerField(_("assessments to re-evaluate"), default=0)
    done = models.PositiveIntegerField(_("assessments re-evaluated"), default=0)
    changed = models.PositiveIntegerField(_("assessments whose answers changed"), default=0)
    refused = models.PositiveIntegerField(_("assessments the engine refused"), default=0)
    skipped = models.PositiveIntegerField(_("assessments saved meanwhile"), default=0)

    class Meta(ClaimedJob.Meta):
        verbose_name = _("re-evaluation")
        verbose_name_plural = _("re-evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=("rulebook",),
                condition=Q(state__in=JOB_ACTIVE_STATES),
                name="reevaluationjob_one_active_per_rulebook",
                violation_error_message="This rulebook is already being re-evaluated.",
            ),
            models.CheckConstraint(
                condition=Q(state__in=JobState.values),
                name="reevaluationjob_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Re-evaluation #{self.pk} under {self.rulebook_id} ({self.state})"

    @property
    def progress(self) -> int:
        """Percent done; 100 once succeeded (assessments added meanwhile are not counted)."""
        if self.state == JobState.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(99, self.done * 100 // self.total)
