"""Report jobs: the database row is the source of truth, Celery only carries its id."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from integration.jobs import JOB_ACTIVE_STATES, ClaimedJob, JobState
from missions.models import Mission


class ReportJobQuerySet(models.QuerySet["ReportJob"]):
    def visible_to(self, user) -> ReportJobQuerySet:
        """Reports of missions `user` may read, and portfolio reports, for signed-in users.

        Every signed-in user reads every mission today (missions.roles), so every signed-in
        user reads every report; the filter keeps this true if mission visibility narrows.
        """
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(mission__isnull=True) | Q(mission__in=Mission.objects.visible_to(user))
        )


class ReportKind(models.TextChoices):
    MISSION = "mission", _("Mission report")
    PORTFOLIO = "portfolio", _("Portfolio report")


class ReportJob(ClaimedJob):
    """One requested report: what, for whom, how far it got and the files it produced."""

    Kind = ReportKind

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Mission reports name their mission here too, so the mission page lists its reports and
    # visibility follows the mission's.
    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, null=True, blank=True, related_name="report_jobs"
    )
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    # Codes of reports.formats.FORMATS, in registry order.
    formats = models.JSONField(_("formats"), default=list)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_jobs",
        help_text=_("Empty for reports requested from the command line."),
    )
    # SHA-256 of (requester, client's key), so a key is private to the user who sent it. Unique:
    # a double click or a retried POST cannot create a second job even when the two race.
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, unique=True)
    # SHA-256 of (requester, kind, mission, formats, parameters) for requests without a key: at
    # most one queued or running job per digest (a partial unique index), so identical requests
    # that race end with one job.
    request_digest = models.CharField(max_length=64, blank=True, editable=False)
    # State, attempts, error, claim and timestamps: integration.jobs.ClaimedJob.
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # {"pdf": "12/mission-monuc-2007-04-26.pdf", ...}: names in STORAGES["reports"].
    files = models.JSONField(_("files"), default=dict, blank=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta(ClaimedJob.Meta):
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        indexes = [models.Index(fields=("state", "id"), name="reportjob_state")]
        constraints = [
            models.UniqueConstraint(
                fields=("request_digest",),
                condition=Q(state__in=JOB_ACTIVE_STATES) & ~Q(request_digest=""),
                name="reportjob_one_active_per_request",
                violation_error_message="An identical report is already queued or running.",
            ),
            models.CheckConstraint(
                condition=Q(state__in=JobState.values),
                name="reportjob_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReportKind.values), name="reportjob_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind="portfolio", mission__isnull=True)
                | Q(kind="mission", mission__isnull=False),
                name="reportjob_mission_matches_kind",
                violation_error_message="A mission report names a mission; a portfolio none.",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="reportjob_progress_max"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.state})"


class StoredFile(models.Model):
    """A report file kept in the database by reports.storage.DatabaseStorage."""

    name = models.CharField(max_length=255, unique=True)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("stored report file")
        verbose_name_plural = _("stored report files")

    def __str__(self) -> str:
        return self.name
