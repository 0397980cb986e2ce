"""`{% report_request_block mission %}`: the mission page's report form and recent reports."""

from __future__ import annotations

import uuid

from django import template

from reports import selectors
from reports.formats import formats_for
from reports.models import ReportJob

register = template.Library()


@register.inclusion_tag("reports/_request_block.html", takes_context=True)
def report_request_block(context, mission):
    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "mission": mission,
        "formats": formats_for(ReportJob.Kind.MISSION),
        "jobs": selectors.report_jobs_list(user=request.user, mission=mission, limit=5),
        # One key per page view: a double click sends it twice and gets one job.
        "idempotency_key": uuid.uuid4().hex,
    }
