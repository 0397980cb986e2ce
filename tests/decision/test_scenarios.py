"""Scenarios: their writes (validation naming the field, optimistic locking, apply to the draft
with a history entry) and the comparison of a baseline with its scenarios."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from assessments.exceptions import (
    AssessmentNotEditable,
    ScenarioGone,
    ScenarioInvalid,
    StaleAssessment,
    StaleScenario,
)
from assessments.models import Assessment, FunctionAssessment, HistoryEntry, Scenario
from assessments.scenario_services import (
    scenario_apply,
    scenario_create,
    scenario_delete,
    scenario_update,
)
from assessments.selectors.scenarios import scenario_comparison_get, scenarios_of
from integration.services import rulebook_default_ensure

pytestmark = pytest.mark.django_db

NO_POOLED_FUND = {"context": {"pooled_fund": False}}


def _create(assessment, by, name="No pooled fund", changes=None, note=""):
    return scenario_create(
        assessment_id=assessment.pk,
        by=by,
        name=name,
        note=note,
        changes=NO_POOLED_FUND if changes is None else changes,
    )


def _invalid(assessment, by, **kwargs) -> dict[str, str]:
    with pytest.raises(ScenarioInvalid) as raised:
        _create(assessment, by, **kwargs)
    return raised.value.errors


def test_a_planner_creates_a_scenario_with_its_changes_normalised(binub_assessment, binub_planner):
    scenario = _create(
        binub_assessment,
        binub_planner,
        changes={"functions": {"ddr": {"dimensions": ["military", "political"]}}},
        note="If the Fifth Committee agrees",
    )
    assert scenario.version == 1
    assert scenario.created_by == binub_planner
    # dimensions in the vocabulary's order, as the engine reads them
    assert scenario.changes == {
        "context": {},
        "functions": {"ddr": {"dimensions": ["political", "military"]}},
    }


def test_an_unknown_fact_is_refused_naming_its_path(binub_assessment, binub_planner):
    errors = _invalid(
        binub_assessment,
        binub_planner,
        changes={"context": {"weather": "fine"}, "functions": {"ddr": {"colour": "red"}}},
    )
    assert set(errors) == {"context.weather", "functions.ddr.colour"}


def test_an_unknown_function_and_a_non_engine_field_are_refused(binub_assessment, binub_planner):
    errors = _invalid(
        binub_assessment,
        binub_planner,
        changes={
            "functions": {"astrology": {}, "ssr": {"desired_impact": "x"}},
            "notes": "x",
        },
    )
    assert set(errors) == {"functions.astrology", "functions.ssr.desired_impact", "notes"}


def test_a_bad_value_is_refused_with_the_engines_message_on_its_path(
    binub_assessment, binub_planner
):
    errors = _invalid(
        binub_assessment,
        binub_planner,
        changes={"functions": {"ddr": {"funding_source": "lottery"}}},
    )
    assert list(errors) == ["functions.ddr.funding_source"]
    assert "lottery" in errors["functions.ddr.funding_source"]


def test_a_change_contradicting_the_baseline_names_both_facts(binub_assessment, binub_planner):
    FunctionAssessment.objects.filter(assessment=binub_assessment, function__code="ddr").update(
        funding_source="pooled"
    )
    errors = _invalid(binub_assessment, binub_planner, changes=NO_POOLED_FUND)
    assert set(errors) == {"context.pooled_fund", "functions.ddr.funding_source"}


def test_a_name_is_required_and_unique_per_assessment(binub_assessment, binub_planner):
    _create(binub_assessment, binub_planner)
    assert set(_invalid(binub_assessment, binub_planner)) == {"name"}
    assert set(_invalid(binub_assessment, binub_planner, name="  ")) == {"name"}
    assert set(_invalid(binub_assessment, binub_planner, name="x" * 121)) == {"name"}


def test_scenarios_are_read_only_once_the_assessment_is_submitted(binub_assessment, binub_planner):
    scenario = _create(binub_assessment, binub_planner)
    Assessment.objects.filter(pk=binub_assessment.pk).update(status="submitted")
    with pytest.raises(AssessmentNotEditable):
        _create(binub_assessment, binub_planner, name="Another")
    with pytest.raises(AssessmentNotEditable):
        scenario_delete(scenario_id=scenario.pk, by=binub_planner, expected_version=1)


def test_an_update_from_a_stale_version_is_refused(binub_assessment, binub_planner):
    scenario = _create(binub_assessment, binub_planner)
    updated = scenario_update(
        scenario_id=scenario.pk,
        by=binub_planner,
        expected_version=1,
        name="Renamed",
        note="",
        changes={},
    )
    assert (updated.version, updated.name) == (2, "Renamed")
    with pytest.raises(StaleScenario) as raised:
        scenario_update(
            scenario_id=scenario.pk,
            by=binub_planner,
            expected_version=1,
            name="Mine",
            note="",
            changes={},
        )
    assert raised.value.current_version == 2
    with pytest.raises(StaleScenario):
        scenario_delete(scenario_id=scenario.pk, by=binub_planner, expected_version=1)
    scenario_delete(scenario_id=scenario.pk, by=binub_planner, expected_version=2)
    assert not Scenario.objects.exists()


def test_a_scenario_deleted_meanwhile_is_named_gone_by_every_write(binub_assessment, binub_planner):
    # given a scenario two planners opened, and that one of them deleted
    scenario = _create(binub_assessment, binub_planner)
    scenario_delete(scenario_id=scenario.pk, by=binub_planner, expected_version=1)
    # then the other's save, delete or apply says it is gone (a 404 with words, not a 500)
    writes = (
        lambda: scenario_update(
            scenario_id=scenario.pk,
            by=binub_planner,
            expected_version=1,
            name="x",
            note="",
            changes={},
        ),
        lambda: scenario_delete(scenario_id=scenario.pk, by=binub_planner, expected_version=1),
        lambda: scenario_apply(
            scenario_id=scenario.pk,
            by=binub_planner,
            expected_assessment_version=binub_assessment.version,
            expected_scenario_version=1,
        ),
        lambda: scenario_apply(
            scenario_id=scenario.pk,
            by=binub_planner,
            expected_assessment_version=binub_assessment.version,
        ),
    )
    for write in writes:
        with pytest.raises(ScenarioGone) as raised:
            write()
        assert raised.value.http_status == 404
        assert "no longer exists" in str(raised.value)


def test_applying_a_scenario_copies_its_changes_and_records_it(binub_assessment, binub_planner):
    # given a scenario without the pooled fund and with DDR voluntary, pledged
    scenario = _create(
        binub_assessment,
        binub_planner,
        changes={
            "context": {"pooled_fund": False},
            "functions": {"ddr": {"funding_source": "voluntary_pledged"}},
        },
    )
    # when it is applied to the draft
    assessment = scenario_apply(
        scenario_id=scenario.pk, by=binub_planner, expected_assessment_version=1
    )
    # then the facts are the scenario's, the version moved, and the history says so
    ddr = FunctionAssessment.objects.get(assessment=assessment, function__code="ddr")
    assert (assessment.pooled_fund, ddr.funding_source, assessment.version) == (
        False,
        "voluntary_pledged",
        2,
    )
    entry = HistoryEntry.objects.get(assessment=assessment, action="scenario_applied")
    assert entry.actor == binub_planner
    assert entry.changes == {
        "pooled_fund": [True, False],
        "ddr.funding_source": ["assessed", "voluntary_pledged"],
        "scenario": "No pooled fund",
    }


def test_applying_against_a_stale_assessment_version_is_refused(binub_assessment, binub_planner):
    scenario = _create(binub_assessment, binub_planner)
    with pytest.raises(StaleAssessment):
        scenario_apply(scenario_id=scenario.pk, by=binub_planner, expected_assessment_version=7)
    assert not HistoryEntry.objects.filter(action="scenario_applied").exists()


# --- comparison ---------------------------------------------------------------------------


@pytest.fixture
def monuc(capsys):
    """MONUC's sample assessment: no agency service agreements, no common services."""
    call_command("load_sample_data")
    capsys.readouterr()
    return Assessment.objects.select_related("mission").get(mission__acronym="MONUC")


def _cell(comparison, code: str, level: str, column: int):
    row = next(r for r in comparison.rows if (r.function.code, r.level) == (code, level))
    return row.cells[column]


def test_monuc_with_agency_service_agreements_loses_its_administration_barriers(monuc):
    # given MONUC without agency service agreements, and a scenario where they are permitted
    assert monuc.agency_service_agreements is False
    scenario = Scenario.objects.create(
        assessment=monuc,
        name="Agency service agreements",
        changes={"context": {"agency_service_agreements": True}},
    )
    # when both are compared under the published rulebook
    comparison = scenario_comparison_get(assessment=monuc, scenarios=[scenario])
    assert comparison.rulebook_version == rulebook_default_ensure().version
    # then DDR's programmatic level loses the administration barrier (p9: agency service
    # agreements cap a programme at partial), but stays partial: the rulebook still holds it
    # there for accountability and capacity, which the scenario does not touch
    programmatic = _cell(comparison, "ddr", "programmatic", 1)
    assert [b.category for b in programmatic.barriers_removed] == ["administration"]
    assert "administration" not in {b.category for b in programmatic.barriers}
    assert (programmatic.degree, programmatic.feasible_degree) == ("full", "partial")
    assert {b.category for b in programmatic.barriers} == {"accountability", "capacity"}
    assert not programmatic.moved
    # and at the administrative level, held at parallel by the missing administrative link
    # (p9-no-administrative-link), feasibility rises to partial wherever partial or more is
    # called for, and no administration barrier is left
    risen = {
        row.function.code
        for row in comparison.rows
        if row.level == "administrative" and row.cells[1].feasible_rose
    }
    assert risen == {
        "peace_governance",
        "ddr",
        "ssr",
        "rule_of_law",
        "elections",
        "protection_of_civilians",
        "national_capacity",
    }
    for code in risen:
        baseline, with_agreements = (
            _cell(comparison, code, "administrative", 0),
            _cell(comparison, code, "administrative", 1),
        )
        assert (baseline.feasible_degree, with_agreements.feasible_degree) == (
            "parallel",
            "partial",
        )
        assert "administration" in {b.category for b in with_agreements.barriers_removed}
        assert "administration" not in {b.category for b in with_agreements.barriers}
    # the strategic level is not the administration's: nothing moves there
    assert not any(row.moved for row in comparison.rows if row.level == "strategic")


def test_monuc_programmatic_feasibility_rises_once_every_programmatic_barrier_is_lifted(monuc):
    # given a scenario lifting what holds DDR's programme at partial: agency service agreements
    # (administration), a pooled fund through the DSRSG/RC/HC and joint monitoring
    # (accountability, at this level and at the strategic level above it) and national
    # capacity able to absorb one integrated programme (capacity)
    scenario = Scenario.objects.create(
        assessment=monuc,
        name="All enablers",
        changes={
            "context": {
                "agency_service_agreements": True,
                "pooled_fund": True,
                "joint_monitoring": True,
                "national_capacity": "medium",
            }
        },
    )
    comparison = scenario_comparison_get(assessment=monuc, scenarios=[scenario])
    # then DDR's programmatic level, where the rulebook calls for full, reaches it
    programmatic = _cell(comparison, "ddr", "programmatic", 1)
    assert (programmatic.feasible_degree, programmatic.feasible_rose) == ("full", True)
    assert programmatic.barriers == ()
    assert {b.category for b in programmatic.barriers_removed} == {
        "administration",
        "accountability",
        "capacity",
    }


def test_the_comparison_costs_the_same_queries_for_one_or_three_scenarios(
    monuc, django_assert_num_queries
):
    scenarios = [
        Scenario.objects.create(assessment=monuc, name=f"S{n}", changes=NO_POOLED_FUND)
        for n in range(3)
    ]
    scenario_comparison_get(assessment=monuc, scenarios=scenarios[:1])  # the rulebook is cached
    # queries: the assessment's function rows with their functions; the published rulebook row
    with django_assert_num_queries(2) as one:
        scenario_comparison_get(assessment=monuc, scenarios=scenarios[:1])
    with django_assert_num_queries(len(one.captured_queries)):
        comparison = scenario_comparison_get(assessment=monuc, scenarios=scenarios)
    assert len(comparison.columns) == 4
    assert all(len(row.cells) == 4 for row in comparison.rows)


def test_a_scenario_that_no_longer_fits_the_facts_shows_its_error_not_cells(monuc):
    scenario = Scenario(assessment=monuc, name="Bad", changes={"context": {"phase": "wishful"}})
    comparison = scenario_comparison_get(assessment=monuc, scenarios=[scenario])
    assert comparison.columns[1].errors[0][0] == "context.phase"
    assert all(row.cells[1] is None for row in comparison.rows)


def test_scenarios_of_lists_oldest_first(binub_assessment, binub_planner):
    first = _create(binub_assessment, binub_planner, name="First")
    second = _create(binub_assessment, binub_planner, name="Second")
    assert scenarios_of(assessment_id=binub_assessment.pk) == [first, second]


def test_scenario_errors_read_in_words_each_led_by_its_fact():
    from django.utils import translation

    from assessments.selectors.labels import scenario_errors_text

    with translation.override("en"):
        text = scenario_errors_text(
            [
                ("functions.ddr.funding_source", "'x' is not allowed"),
                ("context.phase", "'y' is not allowed"),
                ("name", "A scenario needs a name."),
            ]
        )
    assert text == (
        "DDR · Funding source: 'x' is not allowed; Phase: 'y' is not allowed; "
        "A scenario needs a name."
    )
