"""An assessment's ETag and the `If-Match` check of its writes.

The ETag is derived from the assessment's `version`, which every write bumps; `If-Match` maps to
the services' `expected_version`.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment
from integration.api.exceptions import PreconditionFailed, PreconditionRequired

ASSESSMENT_ETAG = re.compile(r'"a(?P<id>\d{1,18})\.v(?P<version>\d{1,9})"')


def assessment_etag(assessment: Assessment) -> str:
    return f'"a{assessment.pk}.v{assessment.version}"'


def expected_version_get(*, request, assessment: Assessment) -> int:
    """The version the caller read, from `If-Match`: 428 without it, 412 if it is not current.

    The service checks again under the row lock; this only answers early and cheaply.
    """
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        raise PreconditionRequired()
    for tag in header.split(","):
        match = ASSESSMENT_ETAG.fullmatch(tag.strip())
        if match and int(match["id"]) == assessment.pk:
            version = int(match["version"])
            if version != assessment.version:
                break
            return version
    raise PreconditionFailed(
        _("If-Match does not name the current version of this assessment (now %(etag)s).")
        % {"etag": assessment_etag(assessment)}
    )
