"""The reference and sample data loader: idempotent, complete, and true to its source."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from assessments import sample_data
from assessments.api.selectors import integration_profile_get
from assessments.facts import CONTEXT_FACT_SPECS, CONTEXT_FACTS
from assessments.models import Assessment, FunctionAssessment
from integration.engine import vocabulary
from missions.models import Function, Mission, MissionEntity, UNEntity
from missions.services import reference_data_load

FIVE_MISSIONS = {"MONUC", "BINUB", "UNMIS", "UNAMID", "UNMEE"}


def _row_counts() -> dict[str, int]:
    """Rows per model of both apps, including the many-to-many tables."""
    counts = {}
    for label in ("missions", "assessments"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            counts[model._meta.label] = model.objects.count()
    return counts


def _load() -> str:
    out = StringIO()
    call_command("load_sample_data", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_loading_twice_leaves_the_same_rows_in_every_model():
    _load()
    first = _row_counts()

    _load()

    assert _row_counts() == first
    assert first["assessments.FunctionAssessment"] == 60


@pytest.mark.django_db
def test_a_second_load_writes_nothing_and_bumps_no_version():
    _load()
    before = {a.pk: (a.version, a.updated_at) for a in Assessment.objects.all()}

    output = _load()

    assert {a.pk: (a.version, a.updated_at) for a in Assessment.objects.all()} == before
    assert "(0 created, 0 updated)" in output
    assert all(
        line.endswith("(0 created, 0 updated)") for line in output.splitlines() if "created" in line
    )


@pytest.mark.django_db
def test_a_reload_never_undoes_a_users_saved_work():
    # given: a planner changed a fact and a function row of BINUB's assessment, and an admin
    # renamed the mission
    _load()
    assessment = Assessment.objects.get(mission__acronym="BINUB")
    Assessment.objects.filter(pk=assessment.pk).update(agency_service_agreements=False, version=5)
    FunctionAssessment.objects.filter(assessment=assessment, function__code="ddr").update(
        funding_source="assessed"
    )
    Mission.objects.filter(acronym="BINUB").update(name="Renamed by an admin")

    # when `make run` loads the sample data again
    _load()

    # then every edit stands and nothing was bumped
    assessment.refresh_from_db()
    assert assessment.agency_service_agreements is False
    assert assessment.version == 5
    ddr = assessment.function_assessments.get(function__code="ddr")
    assert ddr.funding_source == "assessed"
    assert Mission.objects.get(acronym="BINUB").name == "Renamed by an admin"


@pytest.mark.django_db
def test_every_sample_assessment_has_recommendations_after_loading():
    _load()
    for assessment in Assessment.objects.select_related("mission", "current_evaluation"):
        evaluation = assessment.current_evaluation
        assert evaluation is not None, assessment.mission.acronym
        expected_applicable = assessment.mission.acronym != "UNMEE"
        assert evaluation.applicable is expected_applicable, assessment.mission.acronym


@pytest.mark.django_db
def test_it_loads_the_twelve_catalogue_functions_in_catalogue_order():
    _load()

    functions = list(Function.objects.order_by("position"))

    assert [f.code for f in functions] == [spec.code for spec in vocabulary.FUNCTIONS]
    assert [f.position for f in functions] == list(range(12))
    assert all(
        f.default_dimensions == list(vocabulary.FUNCTIONS_BY_CODE[f.code].default_dimensions)
        for f in functions
    )


@pytest.mark.django_db
def test_it_loads_at_least_25_entities_covering_every_kind():
    _load()

    assert UNEntity.objects.count() >= 25
    kinds = set(UNEntity.objects.values_list("kind", flat=True))
    assert kinds == set(vocabulary.values(vocabulary.ENTITY_KINDS))


@pytest.mark.django_db
def test_icrc_and_msf_are_the_neutral_humanitarian_ngos():
    _load()

    neutral = UNEntity.objects.filter(neutral=True)

    assert set(neutral.values_list("acronym", flat=True)) == {"ICRC", "MSF"}
    assert all(entity.kind == "ngo" and entity.humanitarian_mandate for entity in neutral)
    assert UNEntity.objects.filter(kind="ngo", neutral=False).exists()


@pytest.mark.django_db
def test_neutral_ngos_take_part_in_no_function():
    _load()

    assert not FunctionAssessment.objects.filter(involved_entities__neutral=True).exists()


@pytest.mark.django_db
def test_it_loads_the_five_missions_of_the_source_with_one_2007_assessment_each():
    _load()

    assert set(Mission.objects.values_list("acronym", flat=True)) == FIVE_MISSIONS
    for mission in Mission.objects.all():
        (assessment,) = mission.assessments.all()
        assert assessment.as_of.year == 2007
        assert assessment.presence_type == mission.presence_type


@pytest.mark.django_db
def test_unmee_is_an_observer_mission_with_only_the_peace_process_in_its_mandate():
    _load()

    unmee = Mission.objects.get(acronym="UNMEE")
    assessment = unmee.assessments.get()

    assert unmee.presence_type == assessment.presence_type == "observer_mission"
    in_mandate = assessment.function_assessments.filter(in_mandate=True)
    assert list(in_mandate.values_list("function__code", flat=True)) == ["political_process"]


@pytest.mark.django_db
def test_binub_may_use_agency_service_agreements_and_monuc_may_not():
    _load()

    binub = Assessment.objects.get(mission__acronym="BINUB")
    monuc = Assessment.objects.get(mission__acronym="MONUC")

    assert binub.agency_service_agreements is True
    assert monuc.agency_service_agreements is False
    # Both brought donors and IFIs into planning: MONUC's CAF, BINUB's PRSP-based framework.
    assert binub.donors_in_planning
    assert monuc.donors_in_planning


@pytest.mark.django_db
def test_binub_joint_programmes_are_run_with_the_unct_on_the_pooled_fund():
    _load()

    rows = FunctionAssessment.objects.filter(
        assessment__mission__acronym="BINUB",
        function__code__in=["peace_governance", "ddr", "ssr", "human_rights", "rule_of_law"],
    )

    assert rows.count() == 5
    assert all(row.unct_programmes and row.funding_source == "pooled" for row in rows)


@pytest.mark.django_db
def test_darfur_is_a_hybrid_with_the_african_union():
    _load()

    unamid = Assessment.objects.get(mission__acronym="UNAMID")
    role = MissionEntity.objects.get(mission__acronym="UNAMID", entity__acronym="AU").role

    assert (unamid.presence_type, unamid.regional_partner) == ("hybrid", "hybrid")
    assert role == "mission_component"


# What the source says of the facts of rulebook 2008.1 (domain.md §3), mission by mission; every
# fact not named here is left at its default ("not stated"): the source is silent on it.
STATED_BY_THE_SOURCE = {
    # §IV.2: BINUB's joint programmes, "all part of a common strategic framework and common
    # monitoring and evaluation system"; §VI Funding: "a joint World Bank-UN-Government of
    # Burundi strategy".
    "BINUB": {
        "common_strategic_framework": True,
        "joint_monitoring": True,
        "national_actors_in_planning": True,
    },
    # §VI Funding: MONUC's Country Assistance Framework, one of "the integrated strategies".
    "MONUC": {"common_strategic_framework": True},
    "UNMIS": {},
    "UNAMID": {},
    "UNMEE": {},
}
# §IV.2: "full integration may be the only means to effectively link the various components"
# of a DDR programme; MONUC's and UNMIS's DDR programmes make that case (their desired impact).
NECESSITY_STATED = {("MONUC", "ddr"), ("UNMIS", "ddr")}
OPTIONAL_CONTEXT_SPECS = [spec for spec in CONTEXT_FACT_SPECS if spec.optional]


@pytest.mark.django_db
def test_the_sample_missions_carry_what_the_source_says_of_the_facts_of_2008_1():
    _load()

    for assessment in Assessment.objects.select_related("mission"):
        mission = assessment.mission.acronym
        stated = STATED_BY_THE_SOURCE[mission]
        for spec in OPTIONAL_CONTEXT_SPECS:
            expected = stated.get(spec.name, spec.default)
            assert getattr(assessment, spec.name) is expected, (mission, spec.name)
            label = str(Assessment._meta.get_field(spec.name).verbose_name)
            line = next(
                line for line in assessment.notes.splitlines()
                if line.startswith(f"- {label[:1].upper()}{label[1:]}:")
            )  # fmt: skip
            # a sourced value cites its passage; a default says it is not stated
            assert ("§" in line) if spec.name in stated else ("not stated" in line), line


@pytest.mark.django_db
def test_the_sample_necessity_quotes_the_source_where_it_states_one():
    _load()

    for row in FunctionAssessment.objects.select_related("assessment__mission", "function"):
        where = (row.assessment.mission.acronym, row.function.code)
        if where in NECESSITY_STATED:
            assert "may be the only means to effectively link" in row.necessity, where
            assert "(§IV.2)" in row.necessity, where
        else:
            assert row.necessity == "", where


def test_every_fact_of_every_sample_assessment_is_sourced_or_marked_silent():
    for mission in sample_data.missions_read():
        for assessment in mission.assessments:
            assert [fact.name for fact in assessment.facts] == list(CONTEXT_FACTS)
            for fact in assessment.facts:
                assert (fact.source is None) != (fact.silent is None), (mission.acronym, fact)


@pytest.mark.django_db
def test_every_assessment_notes_say_where_each_fact_comes_from():
    _load()

    for assessment in Assessment.objects.select_related("mission"):
        notes = assessment.notes
        assert "§" in notes, assessment.mission.acronym
        # Every mission has facts the source does not give; the notes must own up to them.
        assert "Source silent on" in notes, assessment.mission.acronym
        for name in CONTEXT_FACTS:
            label = str(Assessment._meta.get_field(name).verbose_name)
            assert label[:1].upper() + label[1:] + ":" in notes, (assessment.mission, name)


@pytest.mark.django_db
def test_every_assessment_covers_all_twelve_functions_with_a_desired_impact():
    _load()

    for assessment in Assessment.objects.all():
        rows = list(assessment.function_assessments.all())
        assert len(rows) == len(vocabulary.FUNCTIONS)
        assert all(row.desired_impact.strip() for row in rows)


# Words that would promise a review the approved sample assessments will never get.
AWAITING_REVIEW = re.compile(
    r"placeholder|pending|planner's review|for the planner|should confirm|to untick", re.I
)


@pytest.mark.django_db
def test_approved_sample_assessments_never_say_they_await_a_review():
    _load()

    for assessment in Assessment.objects.select_related("mission"):
        mission = assessment.mission.acronym
        assert assessment.status == "approved", mission
        assert not AWAITING_REVIEW.search(assessment.notes), mission
        assert not AWAITING_REVIEW.search(assessment.mission.mandate_notes), mission
        for row in assessment.function_assessments.select_related("function"):
            assert not AWAITING_REVIEW.search(row.desired_impact), (mission, row.function.code)


@pytest.mark.django_db
def test_every_desired_impact_in_the_mandate_cites_the_source_or_says_it_is_silent():
    _load()

    rows = FunctionAssessment.objects.filter(in_mandate=True).select_related(
        "assessment__mission", "function"
    )
    for row in rows:
        where = (row.assessment.mission.acronym, row.function.code)
        assert "§" in row.desired_impact or "The source is silent on" in row.desired_impact, where


@pytest.mark.django_db
def test_involved_entities_work_beside_their_mission():
    _load()

    for row in FunctionAssessment.objects.select_related("assessment").prefetch_related(
        "involved_entities"
    ):
        linked = set(
            MissionEntity.objects.filter(mission_id=row.assessment.mission_id).values_list(
                "entity_id", flat=True
            )
        )
        assert {entity.pk for entity in row.involved_entities.all()} <= linked


@pytest.mark.django_db
def test_every_loaded_row_passes_full_clean():
    _load()

    for model in (Function, UNEntity, Mission, MissionEntity, Assessment, FunctionAssessment):
        for row in model.objects.all():
            row.full_clean()


@pytest.mark.django_db
def test_reference_data_load_loads_functions_and_entities_only():
    counts = reference_data_load()

    assert counts == {"missions.Function": 12, "missions.UNEntity": UNEntity.objects.count()}
    assert not Mission.objects.exists()
    assert not Assessment.objects.exists()


def test_a_fact_outside_the_vocabulary_is_refused_with_its_place():
    with pytest.raises(sample_data.SampleDataError, match=r"facts\.phase: 'war'"):
        sample_data.fact_read("phase", {"value": "war", "silent": ""}, "x.yaml")


@pytest.mark.django_db
def test_every_sample_mission_has_a_2007_profile_and_todays():
    # given the sample data, as `make run` loads it
    _load()
    for mission in Mission.objects.all():
        # then the profile at the end of 2007 is the approved answer of 2007-04-26 under 2007.3
        then = integration_profile_get(mission=mission, as_of=dt.date(2007, 12, 31))
        assert then["approved"] is True, mission.acronym
        assert then["rulebook"]["version"] == "2007.3"
        assert then["evaluation"]["trigger"] == "submit"
        # before the assessment's date there was none; today's is under the published rulebook
        assert integration_profile_get(mission=mission, as_of=dt.date(2007, 4, 25)) is None
        today = integration_profile_get(mission=mission, as_of=None)
        assert today["rulebook"]["version"] == "2008.1"
        assert today["evaluation"]["id"] != then["evaluation"]["id"]
