"""A mission's timeline: degrees across its assessments, drawn as server-side SVG."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessments import charts
from missions.models import Function
from tests import factories
from tests.analysis.conftest import XSS, day, evaluated_assessment_create

pytestmark = pytest.mark.django_db


def _timeline(client, acronym: str) -> str:
    response = client.get(reverse("mission-timeline", args=[acronym]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_timeline_draws_each_function_across_the_missions_assessments(login, viewer, binub):
    evaluated_assessment_create(mission=binub, as_of=day(0), phase="peacekeeping")
    evaluated_assessment_create(mission=binub, as_of=day(200), phase="transition")
    factories.AssessmentFactory(mission=binub, as_of=day(300))  # not computed: left out

    page = _timeline(login(viewer), "BINUB")

    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 12
    assert 'role="img"' in page
    assert 'aria-labelledby="timeline-ddr-title timeline-ddr-desc"' in page
    assert "DDR: degree of integration over time" in page
    assert "2007-01-01" in page
    assert "2007-07-20" in page
    assert "2007-10-28" not in page
    # the accessible table carries the same data
    table = page.split('id="timeline-data"')[1]
    assert table.count('<th scope="rowgroup"') == 12
    assert table.count('<th scope="row">') == 36


def test_a_mission_without_recommendations_gets_a_notice(login, viewer, binub):
    factories.AssessmentFactory(mission=binub)

    page = _timeline(login(viewer), "BINUB")

    assert "No assessment of this mission has recommendations yet." in page
    assert "<svg" not in page.split('id="main"')[1]


def test_names_inside_the_charts_are_escaped(login, viewer, binub):
    binub.name = XSS
    binub.save()
    evaluated_assessment_create(mission=binub)
    # catalogue functions are shown by their translated catalogue name; one outside the
    # catalogue shows its stored name, which must be escaped
    Function.objects.filter(code="ddr").update(code="local_ddr", name=XSS)

    page = _timeline(login(viewer), "BINUB")

    assert "<script>" not in page
    svg = re.search(r'<svg[^>]*id="timeline-local_ddr".*?</svg>', page, re.S).group(0)
    assert "&lt;script&gt;" in svg


def test_the_timeline_costs_the_same_queries_for_one_and_many_assessments(
    login, viewer, binub, django_assert_num_queries
):
    client = login(viewer)
    evaluated_assessment_create(mission=binub, as_of=day(0))
    # 1 session, 2 user, 3 mission, 4 its evaluated assessments, 5 their recommendations
    with django_assert_num_queries(5):
        _timeline(client, "BINUB")
    for n in range(1, 8):
        evaluated_assessment_create(mission=binub, as_of=day(n * 30))
    with django_assert_num_queries(5):
        page = _timeline(client, "BINUB")
    assert page.count('id="timeline-data"') == 1


# --- the chart functions themselves (no database) ----------------------------------------------


def test_line_chart_escapes_every_text_and_breaks_lines_at_gaps():
    svg = charts.line_chart_svg(
        chart_id='x" onload="alert(1)',
        title=XSS,
        description=XSS,
        x_labels=["a", XSS, "c"],
        y_labels=["low", XSS, "high"],
        series=[
            charts.ChartSeries(
                label=XSS,
                points=[charts.ChartPoint(0), None, charts.ChartPoint(2, hollow=True, note=XSS)],
            )
        ],
    )

    assert "<script>" not in svg
    assert 'onload="' not in svg
    assert svg.count("&lt;script&gt;") >= 5
    assert "<polyline" not in svg  # the gap leaves two single points, no line
    assert svg.count("<circle") == 2
    assert 'fill="#ffffff"' in svg  # the hollow marker


def test_legend_names_every_series_and_the_hollow_mark():
    legend = charts.line_legend_svg(labels=["Strategic", "Programmatic"], hollow_label=XSS)

    assert "Strategic" in legend
    assert "Programmatic" in legend
    assert "&lt;script&gt;" in legend
    assert 'stroke-dasharray="7 4"' in legend
