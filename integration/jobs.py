"""A job a Celery worker claims: the state and claim fields report jobs and re-evaluation jobs
share (reports.models.ReportJob, assessments.reevaluation_models.ReevaluationJob).

The row is the source of truth and Celery carries only its id. A worker takes a job with a
conditional UPDATE that hands out a fresh `claim_token`; only the token's holder writes progress
or the result, and it renews `heartbeat_at` as it goes. A running job whose heartbeat is older
than its lease lost its worker and may be claimed again; a queued job not started some time
after `dispatched_at` lost its message. Each claim counts one attempt. A sweeper re-dispatches
both kinds of lost job, and fails those out of attempts.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


JOB_ACTIVE_STATES = [JobState.QUEUED.value, JobState.RUNNING.value]


class ClaimedJob(models.Model):
    """Abstract: the state, claim, lease and timestamps of a job a worker claims."""

    State = JobState

    state = models.CharField(
        _("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    # A fresh token per claim: only the holder of the current claim may write progress or
    # finish, so a worker that was given up for dead cannot overwrite its successor's work.
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    claimed_by = models.CharField(_("worker"), max_length=200, blank=True)

    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ("-created_at", "-id")

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.SUCCEEDED, JobState.FAILED)
