"""Writes to scenarios: create, update, delete, and apply one to its assessment's facts.

Every write needs the assessment to be a draft or returned (AssessmentNotEditable) and, for an
existing scenario, the version the caller read (StaleScenario). Who may write (the mission's
planners: Assessment.objects.editable_by) is checked by the views and the API, as for
assessments.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from assessments.exceptions import (
    AssessmentNotEditable,
    ScenarioGone,
    ScenarioInvalid,
    StaleScenario,
)
from assessments.facts import CONTEXT_FACTS, FUNCTION_FACTS
from assessments.models import EDITABLE_STATUSES, Assessment, HistoryEntry, Scenario
from assessments.selectors.facts import assessment_facts_get
from assessments.selectors.labels import contradiction_message
from assessments.selectors.scenarios import scenario_facts, scenario_path
from assessments.services import assessment_update
from integration import engine
from integration.text import TEXT_MAX_LENGTH, validate_xml_text

NAME_MAX_LENGTH = Scenario._meta.get_field("name").max_length


def _structure_errors(facts: dict[str, Any], changes: Any) -> dict[str, str]:
    """Errors of shape: unknown groups, facts or functions, before the engine reads values."""
    if not isinstance(changes, dict):
        return {"changes": gettext("Must be an object with “context” and “functions”.")}
    errors = {
        key: gettext("Unknown group of facts; allowed: context, functions.")
        for key in changes
        if key not in ("context", "functions")
    }
    context = changes.get("context", {})
    if not isinstance(context, dict):
        errors["context"] = gettext("Must be an object of fact names and values.")
    else:
        for name in context:
            if name not in CONTEXT_FACTS:
                errors[f"context.{name}"] = gettext("Unknown fact.")
    functions = changes.get("functions", {})
    if not isinstance(functions, dict):
        errors["functions"] = gettext("Must be an object of function codes.")
        return errors
    in_mandate = {item["function"] for item in facts["functions"]}
    for code, values in functions.items():
        if code not in in_mandate:
            errors[f"functions.{code}"] = gettext(
                "Not a function in the assessment's mandate; scenarios change the facts of "
                "functions in the mandate."
            )
        elif not isinstance(values, dict):
            errors[f"functions.{code}"] = gettext("Must be an object of fact names and values.")
        else:
            for name in values:
                if name not in FUNCTION_FACTS:
                    errors[f"functions.{code}.{name}"] = gettext("Unknown fact.")
    return errors


def _normalised(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def scenario_changes_clean(*, facts: dict[str, Any], changes: Any) -> dict[str, Any]:
    """The changes, validated against `facts` (the assessment's, API-shaped) and normalised as
    the engine reads them (dimensions in vocabulary order). Raises ScenarioInvalid naming each
    path at fault. Changes equal to the baseline are kept: the comparison shows them unmoved."""
    errors = _structure_errors(facts, changes)
    if errors:
        raise ScenarioInvalid(errors)
    merged = scenario_facts(facts=facts, changes=changes)
    try:
        parsed = engine.facts_from_dict(merged)
    except engine.ContradictoryFacts as error:
        message = contradiction_message(error)
        raise ScenarioInvalid(
            {scenario_path(path, merged): message for path in error.paths}
        ) from None
    except engine.FactError as error:
        raise ScenarioInvalid({scenario_path(error.path, merged): error.message}) from None
    by_code = {item.function: item for item in parsed.functions}
    return {
        "context": {
            name: _normalised(getattr(parsed.context, name)) for name in changes.get("context", {})
        },
        "functions": {
            code: {name: _normalised(getattr(by_code[code], name)) for name in values}
            for code, values in changes.get("functions", {}).items()
        },
    }


def _text_errors(*, assessment_id: int, scenario_id: int | None, name: Any, note: Any):
    errors: dict[str, str] = {}
    for field, value, limit in (("name", name, NAME_MAX_LENGTH), ("note", note, TEXT_MAX_LENGTH)):
        if not isinstance(value, str):
            errors[field] = gettext("Must be text.")
            continue
        if len(value) > limit:
            errors[field] = gettext("At most %(limit)d characters.") % {"limit": limit}
            continue
        try:
            validate_xml_text(value)
        except ValidationError as error:
            errors[field] = " ".join(error.messages)
    if "name" not in errors:
        if not name.strip():
            errors["name"] = gettext("A scenario needs a name.")
        elif (
            Scenario.objects.filter(assessment_id=assessment_id, name=name.strip())
            .exclude(pk=scenario_id)
            .exists()
        ):
            errors["name"] = gettext("This assessment already has a scenario of this name.")
    return errors


def _assessment_lock_editable(assessment_id: int) -> Assessment:
    """The assessment, row-locked, if scenarios may be written; caller is in a transaction."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment_id)
    if assessment.status not in EDITABLE_STATUSES:
        status = assessment.get_status_display()
        raise AssessmentNotEditable(
            gettext("Assessment %(id)d is %(status)s: its scenarios are read-only.")
            % {"id": assessment_id, "status": status}
        )
    return assessment


def _cleaned(*, assessment_id: int, scenario_id: int | None, name, note, changes):
    errors = _text_errors(
        assessment_id=assessment_id, scenario_id=scenario_id, name=name, note=note
    )
    try:
        cleaned = scenario_changes_clean(
            facts=assessment_facts_get(assessment_id=assessment_id), changes=changes
        )
    except ScenarioInvalid as error:
        errors |= error.errors
    if errors:
        raise ScenarioInvalid(errors)
    return name.strip(), note, cleaned


def scenario_create(*, assessment_id: int, by, name: str, note: str, changes) -> Scenario:
    """A new scenario of a draft or returned assessment."""
    with transaction.atomic():
        _assessment_lock_editable(assessment_id)
        name, note, cleaned = _cleaned(
            assessment_id=assessment_id, scenario_id=None, name=name, note=note, changes=changes
        )
        return Scenario.objects.create(
            assessment_id=assessment_id,
            name=name,
            note=note,
            changes=cleaned,
            created_by=by,
            updated_by=by,
        )


def _scenario_lock(scenario_id: int, expected_version: int) -> Scenario:
    """The scenario at `expected_version`, its assessment locked and editable; ScenarioGone if
    someone deleted it since the caller read it."""
    assessment_id = (
        Scenario.objects.filter(pk=scenario_id).values_list("assessment_id", flat=True).first()
    )
    if assessment_id is None:
        raise ScenarioGone(scenario_id)
    _assessment_lock_editable(assessment_id)
    scenario = Scenario.objects.select_for_update().filter(pk=scenario_id).first()
    if scenario is None:
        raise ScenarioGone(scenario_id)
    if scenario.version != expected_version:
        raise StaleScenario(scenario_id, expected_version, scenario.version)
    return scenario


def scenario_update(
    *, scenario_id: int, by, expected_version: int, name: str, note: str, changes
) -> Scenario:
    """Save a scenario's name, note and changes if nobody saved since `expected_version`."""
    with transaction.atomic():
        scenario = _scenario_lock(scenario_id, expected_version)
        name, note, cleaned = _cleaned(
            assessment_id=scenario.assessment_id,
            scenario_id=scenario_id,
            name=name,
            note=note,
            changes=changes,
        )
        Scenario.objects.filter(pk=scenario_id, version=expected_version).update(
            name=name,
            note=note,
            changes=cleaned,
            version=F("version") + 1,
            updated_by=by,
            updated_at=timezone.now(),
        )
    return Scenario.objects.get(pk=scenario_id)


def scenario_delete(*, scenario_id: int, by, expected_version: int) -> None:
    """Delete a scenario if nobody saved it since `expected_version`."""
    with transaction.atomic():
        _scenario_lock(scenario_id, expected_version)
        Scenario.objects.filter(pk=scenario_id).delete()


def scenario_apply(
    *,
    scenario_id: int,
    by,
    expected_assessment_version: int,
    expected_scenario_version: int | None = None,
) -> Assessment:
    """Copy a scenario's changes into its assessment's facts, through assessment_update (so the
    version check, the editability check and the version bump are the assessment's), recorded
    in the history as "scenario_applied" with the scenario's name. The changes are validated
    again: the assessment's facts may have moved since the scenario was saved.

    With `expected_scenario_version` (the page's confirmation listed that version's changes),
    a scenario saved since raises StaleScenario: nobody applies changes they were not shown."""
    with transaction.atomic():
        if expected_scenario_version is None:
            scenario = Scenario.objects.filter(pk=scenario_id).first()
            if scenario is None:
                raise ScenarioGone(scenario_id)
        else:
            scenario = _scenario_lock(scenario_id, expected_scenario_version)
        cleaned = scenario_changes_clean(
            facts=assessment_facts_get(assessment_id=scenario.assessment_id),
            changes=scenario.changes,
        )
        return assessment_update(
            assessment_id=scenario.assessment_id,
            by=by,
            expected_version=expected_assessment_version,
            context=cleaned["context"],
            functions=cleaned["functions"],
            history_action=HistoryEntry.Action.SCENARIO_APPLIED,
            history_details={"scenario": scenario.name},
        )
