"""Reads of report jobs: the jobs a user sees."""

from __future__ import annotations

from missions.models import Mission
from reports.models import ReportJob


def report_jobs_list(*, user, mission: Mission | None = None, limit: int = 50) -> list[ReportJob]:
    """The newest jobs `user` may read (one mission's, if given), with their requesters."""
    jobs = ReportJob.objects.visible_to(user).select_related("mission", "requested_by")
    if mission is not None:
        jobs = jobs.filter(mission=mission)
    return list(jobs.order_by("-created_at", "-id")[:limit])


def report_job_get(*, user, job_id: int) -> ReportJob:
    """One job `user` may read, or ReportJob.DoesNotExist."""
    return (
        ReportJob.objects.visible_to(user).select_related("mission", "requested_by").get(pk=job_id)
    )
