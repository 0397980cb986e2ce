"""The engine's levers of stored evaluations are computed once, in a task after the evaluations
are stored, and read from the shared cache by reports and pages; a cold or failing cache gives
the same answer, computed."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from assessments import evaluation_storage, levers_cache
from assessments.models import Assessment, Evaluation
from assessments.selectors import levers as levers_selectors
from assessments.selectors.portfolio_levers import portfolio_levers_get
from assessments.services import assessment_evaluate
from assessments.tasks import LEVERS_WARM_OPTIONS, levers_warm_task
from integration.models import Rulebook
from reports import selectors as report_selectors
from tests import factories
from tests.analysis.conftest import evaluated_assessment_create

pytestmark = pytest.mark.django_db

WITHOUT_AGREEMENTS = {
    "conflict_level": "high",
    "force_posture": "deterrent",
    "phase": "peacekeeping",
    "pooled_fund": False,
    "agency_service_agreements": False,
    "common_services": False,
}


@pytest.fixture(autouse=True)
def levers_cache_own(settings, monkeypatch):
    """The levers cache under a key prefix of this test's own (on Redis when the settings name
    one), expiring soon, and an empty per-process dict: each test starts cold."""
    settings.CACHES = {
        **settings.CACHES,
        "levers": {
            **settings.CACHES["levers"],
            "KEY_PREFIX": f"levers-test-{uuid.uuid4().hex}",
            "TIMEOUT": 120,
        },
    }
    monkeypatch.setattr(levers_selectors, "_found", {})


@pytest.fixture
def searches(monkeypatch):
    """How many times the engine's lever search runs."""
    calls = []
    search = levers_cache.levers

    def counting(*args, **kwargs):
        calls.append(kwargs.get("language"))
        return search(*args, **kwargs)

    monkeypatch.setattr(levers_cache, "levers", counting)
    return calls


@pytest.fixture
def approved_missions():
    """Three missions whose approved profiles the portfolio ranks; BINUB's and MONUC's facts are
    the same, so they share their levers."""
    evaluations = []
    for acronym, facts in (
        ("BINUB", WITHOUT_AGREEMENTS),
        ("MONUC", WITHOUT_AGREEMENTS),
        ("UNMEE", {}),
    ):
        assessment = evaluated_assessment_create(
            mission=factories.MissionFactory(acronym=acronym), **facts
        )
        Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.APPROVED)
        evaluations.append(assessment.current_evaluation_id)
    return evaluations


def _forget_process_levers(monkeypatch) -> None:
    """As another process would: nothing kept in this one."""
    monkeypatch.setattr(levers_selectors, "_found", {})


def test_a_warmed_evaluations_levers_are_the_ones_the_engine_finds(approved_missions, searches):
    # two distinct facts, in English and French
    assert levers_cache.levers_warm(evaluation_ids=approved_missions) == 4

    for evaluation in Evaluation.objects.filter(pk__in=approved_missions).select_related(
        "rulebook"
    ):
        for language in ("en", "fr"):
            key = levers_cache.levers_key(evaluation=evaluation, language=language)
            cached = caches["levers"].get(key)
            assert cached == levers_cache.levers_compute(evaluation=evaluation, language=language)


def test_warming_again_computes_nothing(approved_missions, searches):
    levers_cache.levers_warm(evaluation_ids=approved_missions)

    assert levers_cache.levers_warm(evaluation_ids=approved_missions) == 0
    assert len(searches) == 4


def test_the_portfolio_reads_the_warmed_levers_without_searching_with_the_same_queries(
    hq_reviewer, approved_missions, searches, monkeypatch
):
    with CaptureQueriesContext(connection) as cold_queries:
        cold = portfolio_levers_get(user=hq_reviewer, language="en")
    assert searches == ["en"] * 2
    levers_cache.levers_warm(evaluation_ids=approved_missions)
    _forget_process_levers(monkeypatch)
    searches.clear()

    with CaptureQueriesContext(connection) as warm_queries:
        warm = portfolio_levers_get(user=hq_reviewer, language="en")

    assert searches == []
    assert warm == cold
    assert "p9-no-administrative-link" in {r.rule for r in warm.remedies}
    assert len(warm_queries) == len(cold_queries)


def test_the_portfolio_report_in_french_reads_the_french_levers(
    hq_reviewer, approved_missions, searches
):
    levers_cache.levers_warm(evaluation_ids=approved_missions)
    searches.clear()

    with translation.override("fr"):
        data = report_selectors.portfolio_report_data(user=hq_reviewer)

    assert searches == []
    assert data.levers.missions == 3
    assert "Cinquième Commission" in " ".join(
        carrier for remedy in data.levers.remedies for carrier in remedy.carriers
    )


def test_a_cold_cache_gives_the_same_levers_and_keeps_them_for_the_next_reader(
    hq_reviewer, approved_missions, searches, monkeypatch
):
    first = portfolio_levers_get(user=hq_reviewer, language="en")
    _forget_process_levers(monkeypatch)

    assert portfolio_levers_get(user=hq_reviewer, language="en") == first
    assert searches == ["en"] * 2


def test_a_cache_that_fails_gives_the_same_levers(hq_reviewer, approved_missions, settings):
    expected = portfolio_levers_get(user=hq_reviewer, language="en")
    settings.CACHES = {
        **settings.CACHES,
        "levers": {  # nothing listens there: refused at once
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    levers_selectors._found.clear()

    assert portfolio_levers_get(user=hq_reviewer, language="en") == expected
    assert levers_cache.levers_warm(evaluation_ids=approved_missions) == 4


def test_the_key_changes_with_the_facts_the_rulebook_and_the_language(approved_missions):
    evaluation = Evaluation.objects.select_related("rulebook").get(pk=approved_missions[0])
    key = levers_cache.levers_key(evaluation=evaluation, language="en")

    assert levers_cache.levers_key(evaluation=evaluation, language="fr") != key
    other_facts = Evaluation(
        facts={**evaluation.facts, "context": {**evaluation.facts["context"], "pooled_fund": True}},
        rulebook=evaluation.rulebook,
    )
    assert levers_cache.levers_key(evaluation=other_facts, language="en") != key
    other_rulebook = Evaluation(
        facts=evaluation.facts, rulebook=Rulebook(checksum="another rulebook's content")
    )
    assert levers_cache.levers_key(evaluation=other_rulebook, language="en") != key
    same_facts_reordered = Evaluation(
        facts=dict(reversed(evaluation.facts.items())), rulebook=evaluation.rulebook
    )
    assert levers_cache.levers_key(evaluation=same_facts_reordered, language="en") == key


def test_the_page_shows_the_strongest_of_the_cached_levers(approved_missions, searches):
    evaluation = Evaluation.objects.select_related("rulebook").get(pk=approved_missions[0])
    levers_cache.levers_warm(evaluation_ids=[evaluation.pk])
    searches.clear()

    shown = levers_selectors.evaluation_levers(evaluation=evaluation, language="en", limit=8)

    assert searches == []
    assert shown == levers_cache.levers(
        levers_cache.engine.facts_from_dict(evaluation.facts),
        levers_cache.rulebook_engine_get(rulebook=evaluation.rulebook),
        language="en",
        limit=8,
    )


def test_storing_an_evaluation_warms_its_levers_once_committed(
    binub, django_capture_on_commit_callbacks, monkeypatch, searches
):
    dispatched = []
    monkeypatch.setattr(
        evaluation_storage, "levers_warm_dispatch", lambda **kwargs: dispatched.append(kwargs)
    )
    assessment = factories.AssessmentFactory(mission=binub, **WITHOUT_AGREEMENTS)

    with django_capture_on_commit_callbacks(execute=True):
        assessment_evaluate(assessment_id=assessment.pk)
        assert dispatched == []  # not before the commit

    assessment.refresh_from_db()
    assert dispatched == [{"evaluation_ids": [assessment.current_evaluation_id]}]
    assert searches == []  # storing searched for nothing
    levers_warm_task.apply(args=[dispatched[0]["evaluation_ids"]]).get()
    assert sorted(searches) == ["en", "fr"]


def test_the_warm_up_task_options_are_declared_once():
    assert levers_warm_task.name == "assessments.levers_warm"
    assert levers_warm_task.acks_late is False
    assert levers_warm_task.time_limit == LEVERS_WARM_OPTIONS["time_limit"]
    assert levers_warm_task.ignore_result is True


def test_the_command_warms_every_current_evaluation_once(approved_missions, searches):
    out = io.StringIO()
    call_command("levers_warm", stdout=out)
    call_command("levers_warm", stdout=out)

    assert out.getvalue().splitlines() == [
        "3 evaluations: 4 levers entries computed.",
        "3 evaluations: 0 levers entries computed.",
    ]
    assert len(searches) == 4
