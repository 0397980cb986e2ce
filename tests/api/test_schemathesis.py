"""Property-based conformance: Schemathesis over the whole schema, in-process, authenticated.

Every operation gets at least 100 generated requests (explicit examples and generation only;
no shrinking, derandomised so CI is reproducible). Each response must not be a 5xx and must
conform to the schema: status code, content type, headers and body. Generated ids, acronyms
and ETags almost never name a real row, so most examples are aimed at rows that exist (see
`_aim_at_real_rows`), and every operation must have been answered with a 2xx at least once:
a run made only of 404s, 412s and 428s would pass the other checks while testing nothing.
"""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from django.core.files.base import ContentFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from assessments.api.etags import assessment_etag
from assessments.api.scenario_views import scenario_etag
from assessments.models import Assessment, Scenario
from integration.api.tokens import api_token_create
from integration.wsgi import application
from reports.files import report_storage
from reports.models import ReportJob
from tests import factories

# Loaded from the running application at collection (the schema view needs no database). Not
# `schemathesis.pytest.from_fixture`: its lazy loader does not run under pytest 9.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)

EXAMPLES = 100


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    # The WSGI handler closes "old" connections around each request, which would end the
    # test's transaction; Django's own test client disconnects these signals the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def statuses():
    """The status codes one operation was answered with; checked once all examples ran."""
    seen: Counter[int] = Counter()
    yield seen
    total = sum(seen.values())
    assert total >= EXAMPLES, f"only {total} examples were generated"
    assert any(200 <= code < 300 for code in seen), f"no 2xx answer at all: {dict(seen)}"


@pytest.fixture
def token(admin_user, binub):
    factories.UNEntityFactory(acronym="UNDP")
    return api_token_create(user=admin_user, name="schemathesis", scope="write").secret


@pytest.fixture
def draft_assessment(binub, binub_planner):
    """A draft the writes can change and submit (the approved one refuses them)."""
    return factories.AssessmentFactory(mission=binub, created_by=binub_planner)


@pytest.fixture
def draft_scenario(draft_assessment, binub_planner):
    """A scenario of the draft, for the scenario operations (its changes fit the draft)."""
    return Scenario.objects.create(
        assessment=draft_assessment,
        name="Transition",
        changes={"context": {"phase": "transition"}, "functions": {}},
        created_by=binub_planner,
    )


@pytest.fixture
def finished_report(settings, tmp_path, admin_user):
    """A succeeded portfolio report with its HTML file stored, for the download operation."""
    settings.REPORTS_ROOT = tmp_path / "reports"
    relative = report_storage().save(
        "schemathesis/portfolio.html", ContentFile(b"<!doctype html><title>Portfolio</title>")
    )
    return ReportJob.objects.create(
        kind=ReportJob.Kind.PORTFOLIO,
        formats=["html"],
        files={"html": relative},
        state=ReportJob.State.SUCCEEDED,
        progress=100,
        requested_by=admin_user,
        idempotency_key="schemathesis",
    )


def _aim_at_real_rows(
    case, *, n: int, draft: int, approved: int, report: int, scenario: int
) -> None:
    """Point example `n` at rows that exist, so the 2xx paths and their schemas are exercised
    as well as the 404s, 412s and 428s. Deterministic: it follows the example's number.

    Three examples in four name a real row: the draft assessment two times in three (writes can
    only succeed on it), else the approved one, whose recommendations exist. Every other
    example also sends the row's current ETag as If-Match, read from the database because the
    previous example may have bumped the version, and a mission the caller plans in a body;
    the rest keep the generated If-Match and body, so the 412, 428 and 400 paths stay covered.
    """
    if case.meta is not None and case.meta.generation.mode.is_negative:
        return  # schema-violating cases stay as generated: they test the 4xx answers
    # Containers are replaced, never edited in place: Schemathesis revalidates what is assigned
    # and takes in-place edits for generated values.
    params = dict(case.path_parameters or {})
    real, current = n % 4 != 3, n % 2 == 0
    assessment_id = draft if n % 3 else approved
    if real:
        if "acronym" in params:
            params["acronym"] = "BINUB" if "/missions/" in case.path else "UNDP"
        if "id" in params:
            params["id"] = report if case.path.startswith("/api/v1/reports/") else assessment_id
        if "fmt" in params:
            params["fmt"] = "html"
        if "code" in params:
            params["code"] = "ddr"
        if "version" in params:
            params["version"] = "2008.1"
        if "scenario_id" in params:
            params["scenario_id"] = scenario
        case.path_parameters = params
    if not current:
        return
    if case.path.startswith("/api/v1/assessments/{id}") and case.method != "GET":
        row = Assessment.objects.only("version").get(pk=params["id"])
        etag = assessment_etag(row)
        # a scenario's own writes match the scenario's ETag; applying it, the assessment's
        scenario_row = Scenario.objects.filter(pk=params.get("scenario_id")).first()
        if scenario_row is not None and not case.path.endswith("/apply/"):
            etag = scenario_etag(scenario_row)
        case.headers = {**(case.headers or {}), "If-Match": etag}
    body = case.body if case.method == "POST" and isinstance(case.body, dict) else None
    if body is not None and (case.path == "/api/v1/assessments/" or body.get("kind") == "mission"):
        case.body = {**body, "mission": "BINUB"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    phases=[Phase.explicit, Phase.generate],
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_conforms_to_the_schema(
    case, token, statuses, draft_assessment, approved_assessment, finished_report, draft_scenario
):
    _aim_at_real_rows(
        case,
        n=sum(statuses.values()),
        draft=draft_assessment.pk,
        approved=approved_assessment.pk,
        report=finished_report.pk,
        scenario=draft_scenario.pk,
    )
    # Not `positive_data_acceptance`: the schema cannot say that a mission must exist or that a
    # function may be listed once, so some schema-valid bodies are rightly a 400.
    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        excluded_checks=[positive_data_acceptance],
    )
    statuses[response.status_code] += 1
