"""The Scenarios section of the assessment and recommendations pages reads its rows here, so
the two pages include one template and their views stay as they are. One query."""

from __future__ import annotations

from django import template
from django.db.models import Subquery

from assessments.scenario_forms import change_count
from assessments.scenario_models import Scenario
from integration.models import Rulebook

register = template.Library()


@register.simple_tag
def assessment_scenarios(assessment) -> list[Scenario]:
    """The scenarios of `assessment`, each with `change_count` and the name and version of the
    published rulebook they are evaluated under (`rulebook_name`, `rulebook_version`)."""
    published = Rulebook.objects.filter(status=Rulebook.Status.PUBLISHED)
    scenarios = list(
        Scenario.objects.filter(assessment_id=assessment.pk)
        .order_by("created_at", "id")
        .annotate(
            rulebook_name=Subquery(published.values("name")[:1]),
            rulebook_version=Subquery(published.values("version")[:1]),
        )
    )
    # No published rulebook yet (a fresh install publishes its default on the first evaluation
    # or comparison): the section says so rather than writing from a page's GET.
    for scenario in scenarios:
        scenario.change_count = change_count(scenario.changes)
    return scenarios


@register.filter
def barrier_categories(barriers) -> list[str]:
    """The categories of `barriers`, each once, in order: several rules may name the same."""
    return list(dict.fromkeys(barrier.category for barrier in barriers))
