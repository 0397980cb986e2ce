"""The live preview of the edit page: the recommendations for the facts as typed, never saved."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Evaluation, FunctionAssessment, HistoryEntry
from tests.factories import PASSWORD
from tests.forms import assessment_form_data

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def evaluated(binub_assessment):
    services.assessment_evaluate(assessment_id=binub_assessment.pk)
    binub_assessment.refresh_from_db()
    return binub_assessment


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def _preview(client, assessment, headers=HTMX, **changes):
    url = reverse("assessment-preview", args=[assessment.pk])
    return client.post(url, assessment_form_data(assessment, **changes), **headers)


def _snapshot(assessment: Assessment):
    """Everything a preview could write: the assessment row, its functions, history, evaluations."""
    row = Assessment.objects.values().get(pk=assessment.pk)
    functions = list(
        FunctionAssessment.objects.filter(assessment=assessment).order_by("pk").values()
    )
    return (
        row,
        functions,
        HistoryEntry.objects.filter(assessment=assessment).count(),
        Evaluation.objects.filter(assessment=assessment).count(),
    )


def cell_text(html: str, function: str, level: str) -> str:
    """The words of one cell of the preview matrix, tags and spacing dropped."""
    match = re.search(
        rf'<td class="cell[^"]*"[^>]*data-function="{function}" data-level="{level}".*?</td>',
        html,
        re.DOTALL,
    )
    assert match, f"no preview cell for {function} {level}"
    text = re.sub(r'<span class="visually-hidden">.*?</span>|<[^>]+>|[●◐○▼]', " ", match.group())
    return " ".join(text.split())


def moved_cells(html: str) -> set[tuple[str, str]]:
    return set(
        re.findall(r'<td class="cell[^"]* moved" data-function="(\w+)" data-level="(\w+)"', html)
    )


@pytest.mark.django_db
def test_a_preview_marks_the_cells_a_change_moves_and_how_and_saves_nothing(
    client, binub_planner, evaluated
):
    # given a planner on an evaluated draft (its forces hold no combat posture)
    before = _snapshot(evaluated)
    # when the form posts open combat to the preview, as htmx does
    response = _preview(
        _login(client, binub_planner), evaluated, **{"context-force_posture": "open_combat"}
    )
    # then the partial shows the matrix with the moved cells marked and how
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert cell_text(html, "ddr", "programmatic") == "Full → Parallel feasible: Partial → Parallel"
    assert ("ddr", "programmatic") in moved_cells(html)
    assert ("political_process", "strategic") not in moved_cells(html)
    assert f"{len(moved_cells(html))} cells differ from the recommendations computed" in html
    # and nothing was written
    assert _snapshot(evaluated) == before


@pytest.mark.django_db
def test_a_preview_without_changes_marks_nothing(client, binub_planner, evaluated):
    response = _preview(_login(client, binub_planner), evaluated)

    html = response.content.decode()
    assert moved_cells(html) == set()
    assert "0 cells differ from the recommendations computed" in html
    assert cell_text(html, "ddr", "programmatic") == "Full feasible: Partial"


@pytest.mark.django_db
def test_the_preview_button_without_javascript_gives_the_page_with_the_form_as_typed(
    client, binub_planner, evaluated
):
    # given the same change posted by the Preview button (no htmx header)
    client = _login(client, binub_planner)
    partial = _preview(client, evaluated, **{"context-force_posture": "open_combat"}).content
    before = _snapshot(evaluated)
    # when the button posts the form
    response = _preview(
        client,
        evaluated,
        headers={},
        **{"context-force_posture": "open_combat", "action": "preview"},
    )
    # then the whole edit page comes back, the form as typed and the same matrix beside it
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="assessment-form"' in html
    assert '<option value="open_combat" selected>' in html
    partial_html = partial.decode()
    assert moved_cells(html) == moved_cells(partial_html)
    for function, level in moved_cells(partial_html):
        assert cell_text(html, function, level) == cell_text(partial_html, function, level)
    assert _snapshot(evaluated) == before


@pytest.mark.django_db
def test_an_invalid_value_shows_the_forms_error_and_no_matrix(client, binub_planner, evaluated):
    client = _login(client, binub_planner)
    changes = {"context-drawdown_within_months": "soon"}

    partial = _preview(client, evaluated, **changes)
    page = _preview(client, evaluated, headers={}, **changes)

    assert partial.status_code == 200  # htmx swaps 2xx answers only: the error replaces the matrix
    assert "preview-matrix" not in partial.content.decode()
    assert "No preview until these facts are corrected" in partial.content.decode()
    assert "Drawdown within (months)" in partial.content.decode()
    assert page.status_code == 400
    assert "preview-matrix" not in page.content.decode()
    assert 'value="soon"' in page.content.decode()


@pytest.mark.django_db
def test_contradictory_facts_show_as_the_forms_error_naming_both(client, binub_planner, evaluated):
    # invariant 12: a hybrid presence needs a regional partner
    response = _preview(
        _login(client, binub_planner),
        evaluated,
        **{"context-presence_type": "hybrid", "context-regional_partner": "none"},
    )

    html = response.content.decode()
    assert "preview-matrix" not in html
    assert "Presence type contradicts regional partner" in html


@pytest.mark.django_db
def test_an_assessment_never_evaluated_previews_without_marks(
    client, binub_planner, binub_assessment
):
    response = _preview(
        _login(client, binub_planner), binub_assessment, **{"context-force_posture": "open_combat"}
    )

    html = response.content.decode()
    assert "nothing to compare with" in html
    assert moved_cells(html) == set()
    assert cell_text(html, "ddr", "programmatic") == "Parallel"


@pytest.mark.django_db
def test_the_edit_page_opens_with_the_saved_facts_previewed(client, binub_planner, evaluated):
    html = _login(client, binub_planner).get(reverse("assessment-edit", args=[evaluated.pk]))
    html = html.content.decode()

    assert 'id="preview-matrix"' in html
    assert f'hx-post="/assessments/{evaluated.pk}/edit/preview/"' in html
    assert moved_cells(html) == set()


@pytest.mark.django_db
def test_preview_queries_do_not_grow_with_the_functions(
    client, binub_planner, evaluated, django_assert_num_queries
):
    client = _login(client, binub_planner)
    data = assessment_form_data(evaluated, **{"context-force_posture": "open_combat"})
    url = reverse("assessment-preview", args=[evaluated.pk])
    # session, user, the assessment with its mission and users and whether the user plans for
    # it, its functions with their catalogue rows, the published rulebook, the saved
    # evaluation's cells
    with django_assert_num_queries(6):
        client.post(url, data, **HTMX)
    FunctionAssessment.objects.filter(assessment=evaluated).update(in_mandate=False)
    data = {key: value for key, value in data.items() if not key.endswith("-in_mandate")}
    data["ddr-in_mandate"] = "on"
    with django_assert_num_queries(6):
        client.post(url, data, **HTMX)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["viewer", "unmis_planner", "hq_reviewer"])
def test_only_the_missions_planners_preview(client, who, request, evaluated):
    user = request.getfixturevalue(who)
    before = _snapshot(evaluated)

    response = _preview(_login(client, user), evaluated, **{"context-phase": "transition"})

    assert response.status_code == 403
    assert "preview-matrix" not in response.content.decode()
    assert _snapshot(evaluated) == before


@pytest.mark.django_db
def test_a_signed_out_visitor_is_sent_to_sign_in(client, evaluated):
    response = _preview(client, evaluated)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_submitted_assessment_is_not_previewed(client, binub_planner, evaluated):
    # given an assessment submitted while its edit page was open
    Assessment.objects.filter(pk=evaluated.pk).update(status=Assessment.Status.SUBMITTED)
    client = _login(client, binub_planner)
    # when the open page previews, with and without JavaScript
    partial = _preview(client, evaluated, **{"context-phase": "transition"})
    page = _preview(client, evaluated, headers={}, **{"context-phase": "transition"})
    # then htmx gets a notice in place of the matrix, the plain post the read-only page
    assert partial.status_code == 200
    assert "preview-matrix" not in partial.content.decode()
    assert "This assessment is Submitted: it is read-only." in partial.content.decode()
    assert page.status_code == 302
    assert page["Location"] == reverse("assessment-detail", args=[evaluated.pk])


@pytest.mark.django_db
def test_a_preview_is_posted_never_fetched(client, binub_planner, evaluated):
    url = reverse("assessment-preview", args=[evaluated.pk])

    assert _login(client, binub_planner).get(url).status_code == 405
