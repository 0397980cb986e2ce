"""Writes that create or re-queue report jobs: request (idempotent, de-duplicated, within the
requester's quota) and retry."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Assessment
from missions.models import Mission
from reports.exceptions import (
    IdempotencyKeyReused,
    ReportQuotaExceeded,
    ReportRequestInvalid,
)
from reports.formats import formats_for
from reports.models import ReportJob
from reports.services import broker

logger = logging.getLogger(__name__)
State = ReportJob.State


def _key_hash(*, by, key: str) -> str:
    owner = str(by.pk) if by is not None else "cli"
    return hashlib.sha256(f"{owner}:{key}".encode()).hexdigest()


def _request_digest(*, by, request: dict[str, Any]) -> str:
    """What makes two requests the same report for the same requester (de-duplication)."""
    mission = request["mission"]
    canonical = json.dumps(
        {**request, "mission": mission.pk if mission else None, "by": by.pk if by else None},
        sort_keys=True,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _requester_lock(by) -> None:
    """Serialise one user's report requests (the caller holds a transaction): the quota count
    and the search for an identical job then see every earlier request of that user."""
    if by is not None:
        get_user_model().objects.select_for_update().filter(pk=by.pk).first()


def _quota_check(by) -> None:
    """ReportQuotaExceeded when `by` created REPORTS_QUOTA jobs in the last
    REPORTS_QUOTA_SECONDS (the command line has no quota)."""
    if by is None:
        return
    window = dt.timedelta(seconds=settings.REPORTS_QUOTA_SECONDS)
    recent = ReportJob.objects.filter(
        requested_by=by, created_at__gte=timezone.now() - window
    ).order_by("created_at")
    created = list(recent.values_list("created_at", flat=True)[: settings.REPORTS_QUOTA])
    if len(created) >= settings.REPORTS_QUOTA:
        wait = (created[0] + window - timezone.now()).total_seconds()
        raise ReportQuotaExceeded(
            _("You asked for %(n)s reports in the last %(minutes)s minutes: wait a little.")
            % {"n": len(created), "minutes": round(window.total_seconds() / 60)},
            retry_after=max(int(wait) + 1, 1),
        )


def _validated(
    *, kind: str, formats: list[str], mission: Mission | None, parameters: dict, by
) -> dict[str, Any]:
    allowed = formats_for(kind)
    if not allowed:
        raise ReportRequestInvalid(_("Unknown report kind: %(kind)s.") % {"kind": kind})
    if not formats or any(fmt not in allowed for fmt in formats):
        raise ReportRequestInvalid(
            _("Choose formats among: %(allowed)s.") % {"allowed": ", ".join(allowed)}
        )
    if (kind == ReportJob.Kind.MISSION) != (mission is not None):
        raise ReportRequestInvalid(_("A mission report needs a mission; a portfolio none."))
    parameters = dict(parameters)
    if mission is not None:
        parameters["mission"] = mission.acronym
    if parameters.get("assessment") is not None:
        _assessment_check(assessment_id=parameters["assessment"], mission=mission, by=by)
    return {
        "kind": kind,
        "mission": mission,
        "formats": sorted(set(formats), key=allowed.index),
        "parameters": parameters,
    }


def report_job_request(
    *,
    kind: str,
    by,
    formats: list[str],
    mission: Mission | None = None,
    parameters: dict[str, Any] | None = None,
    idempotency_key: str = "",
    dispatch: bool = True,
) -> tuple[ReportJob, bool]:
    """Create a queued job and dispatch it once the transaction commits; (job, created).

    The same `idempotency_key` from the same requester returns the first job (a double click,
    a retried POST). Without a key, an identical request still queued or running is returned;
    a partial unique index on the request's digest makes that hold when requests race.
    Raises ReportRequestInvalid for an unknown kind or format, IdempotencyKeyReused when the key
    came before with a different request, ReportQuotaExceeded past the requester's quota.
    `dispatch=False` leaves publishing to the caller (the `report` command runs the
    job in-process).
    """
    request = _validated(
        kind=kind, formats=formats, mission=mission, parameters=parameters or {}, by=by
    )
    if idempotency_key:
        key, digest = _key_hash(by=by, key=idempotency_key), ""
    else:
        key, digest = uuid.uuid4().hex, _request_digest(by=by, request=request)
    with transaction.atomic():
        _requester_lock(by)
        existing = _same_job(key=key, digest=digest)
        if existing is None:
            _quota_check(by)
            try:
                with transaction.atomic():
                    job = ReportJob.objects.create(
                        **request, requested_by=by, idempotency_key=key, request_digest=digest
                    )
            except IntegrityError:
                # Another request with this key or digest committed first: that is the job.
                existing = _same_job(key=key, digest=digest)
                if existing is None:
                    raise
        if existing is not None:
            _key_reuse_check(existing, request)
            return existing, False
        if dispatch:
            transaction.on_commit(lambda: broker.report_job_dispatch(job_id=job.pk))
    return job, True


def _same_job(*, key: str, digest: str) -> ReportJob | None:
    if digest:
        return ReportJob.objects.filter(
            request_digest=digest, state__in=(State.QUEUED, State.RUNNING)
        ).first()
    return ReportJob.objects.filter(idempotency_key=key).first()


def _key_reuse_check(job: ReportJob, request: dict[str, Any]) -> None:
    mission = request["mission"]
    if (job.kind, job.mission_id, job.formats, job.parameters.get("assessment")) != (
        request["kind"],
        mission.pk if mission else None,
        request["formats"],
        request["parameters"].get("assessment"),
    ):
        raise IdempotencyKeyReused(
            _("This idempotency key was already used for a different report.")
        )


def _assessment_check(*, assessment_id: object, mission: Mission | None, by) -> None:
    """A mission report may be about one named assessment: it must be one of the mission's,
    and one the requester may read (everyone, for the command line)."""
    if mission is None:
        raise ReportRequestInvalid(
            _("Only a mission report can be about one assessment."), field="assessment"
        )
    assessments = Assessment.objects.visible_to(by) if by is not None else Assessment.objects
    if not (
        isinstance(assessment_id, int)
        and assessments.filter(pk=assessment_id, mission=mission).exists()
    ):
        raise ReportRequestInvalid(
            _("No such assessment of %(mission)s.") % {"mission": mission.acronym},
            field="assessment",
        )


def report_job_retry(*, job_id: int, by) -> ReportJob:
    """Queue a failed job again with a fresh attempt budget, and dispatch it after commit.

    The retried job leaves de-duplication (its digest is cleared), so it never collides with an
    identical report requested since.
    """
    with transaction.atomic():
        updated = ReportJob.objects.filter(pk=job_id, state=State.FAILED).update(
            state=State.QUEUED,
            attempts=0,
            progress=0,
            claim_token="",
            request_digest="",
            dispatched_at=None,
            finished_at=None,
        )
        if updated:
            logger.info("Report job %s retried by %s", job_id, by)
            transaction.on_commit(lambda: broker.report_job_dispatch(job_id=job_id))
    return ReportJob.objects.get(pk=job_id)
