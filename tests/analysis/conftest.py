"""Helpers for the analysis pages: assessments with stored recommendations."""

from __future__ import annotations

import datetime as dt

import pytest

from assessments import scenario_services, services
from assessments.models import Assessment
from assessments.scenario_forms import scenario_forms
from assessments.scenario_models import Scenario
from tests import factories
from tests.factories import PASSWORD

XSS = "<script>alert('x')</script>"


def evaluated_assessment_create(*, mission, functions: int = 12, **facts):
    """An assessment of `mission` whose first `functions` catalogue functions are in the mandate,
    with its recommendations computed and stored."""
    assessment = factories.AssessmentFactory(mission=mission, **facts)
    rows = assessment.function_assessments.order_by("function__position")
    excluded = [row.pk for row in rows[functions:]]
    assessment.function_assessments.filter(pk__in=excluded).update(in_mandate=False)
    services.assessment_evaluate(assessment_id=assessment.pk)
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def evaluated(binub):
    """BINUB's assessment of 2007-04-26, evaluated (12 functions)."""
    return evaluated_assessment_create(mission=binub)


@pytest.fixture
def login(client):
    def _login(user):
        client.login(username=user.username, password=PASSWORD)
        return client

    return _login


def day(n: int) -> dt.date:
    return dt.date(2007, 1, 1) + dt.timedelta(days=n)


# --- scenarios (the scenario pages' tests) --------------------------------------------------

SERVICE_AGREEMENTS = {"context": {"agency_service_agreements": True}, "functions": {}}


@pytest.fixture
def draft(binub, binub_planner):
    """A BINUB draft without agency service agreements, with one scenario that permits them."""
    assessment = factories.AssessmentFactory(
        mission=binub, created_by=binub_planner, agency_service_agreements=False
    )
    scenario_services.scenario_create(
        assessment_id=assessment.pk,
        by=binub_planner,
        name="Service agreements",
        note="Ask the Fifth Committee",
        changes=SERVICE_AGREEMENTS,
    )
    return assessment


@pytest.fixture
def scenario(draft):
    return Scenario.objects.get(assessment=draft)


def scenario_form_data(assessment, scenario=None, **typed) -> dict:
    """What the scenario page posts when the user changes `typed` (field html names with "-"
    written "__": context__phase) and submits."""
    shown = scenario_forms(Assessment.objects.get(pk=assessment.pk), scenario=scenario).all()
    data: dict = {"base": ""}
    for form in shown:
        for field in form:
            value = field.value()
            if field.widget_type == "checkbox":
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, list):
                data[field.html_name] = value
            elif value is not None:
                data[field.html_name] = str(value)
    for name, value in typed.items():
        key = name.replace("__", "-")
        if value is False:
            data.pop(key, None)
        else:
            data[key] = "on" if value is True else value
    return data
