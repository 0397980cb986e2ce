"""The recommendation page: the matrix, each cell's reasons, overrides, and computing on demand."""

from __future__ import annotations

import html
import re

import pytest
from django.db.models import F
from django.urls import NoReverseMatch, path, reverse

from assessments import review_services
from assessments.models import Evaluation, Override, Recommendation
from integration.urls import urlpatterns as project_urlpatterns
from missions.models import Function
from tests import factories
from tests.analysis.conftest import XSS, evaluated_assessment_create
from tests.forms import assessment_form_data

pytestmark = pytest.mark.django_db


def _page(client, assessment) -> str:
    response = client.get(reverse("assessment-recommendations", args=[assessment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _cell(page: str, function: str, level: str) -> str:
    match = re.search(
        rf'<td class="([^"]*)" data-function="{function}" data-level="{level}"[^>]*>(.*?)</td>',
        page,
        re.S,
    )
    assert match, (function, level)
    return match.group(1) + " " + match.group(2)


def test_the_matrix_shows_every_function_at_every_level_with_a_legend(login, viewer, evaluated):
    page = _page(login(viewer), evaluated)

    assert '<table class="matrix" id="recommendation-matrix">' in page
    assert page.count('<th scope="row">') == 12
    assert page.count('class="cell degree-') == 36
    for level in ("Strategic", "Programmatic", "Administrative"):
        assert f'<th scope="col">{level}</th>' in page
    assert 'id="legend-title"' in page
    # each degree is named in the cell, not only coloured
    stored = Recommendation.objects.get(
        evaluation=evaluated.current_evaluation, function__code="ddr", level="strategic"
    )
    assert stored.get_degree_display() in _cell(page, "ddr", "strategic")


def test_each_cell_links_to_its_rules_barriers_what_ifs_and_lead(login, viewer, evaluated):
    page = _page(login(viewer), evaluated)

    # the cell is a keyboard-reachable link to its details below the table
    assert 'href="#cell-ddr-programmatic"' in page
    assert 'id="cell-ddr-programmatic"' in page
    details = page.split('id="cell-ddr-programmatic"')[1].split('id="cell-ddr-administrative"')[0]
    stored = Recommendation.objects.get(
        evaluation=evaluated.current_evaluation, function__code="ddr", level="programmatic"
    )
    for rule in stored.rules:
        assert rule["id"] in details
        assert f'<span class="principle">{rule["principle"]}</span>' in details
    # BINUB's low national capacity stands between DDR's full programme and what is feasible
    assert stored.barriers, "the sample facts should raise a barrier for DDR"
    assert "Remedy:" in details
    assert stored.barriers[0]["category"].capitalize() in details
    # what-ifs are computed on read from the stored snapshot
    assert "What if" in details
    assert details.count("<li>If ") >= 1
    assert "Lead:" in page


def test_a_cell_says_what_to_plan_for_and_what_blocks_the_degree_needed(login, viewer, evaluated):
    page = _page(login(viewer), evaluated)
    stored = Recommendation.objects.get(
        evaluation=evaluated.current_evaluation, function__code="ddr", level="programmatic"
    )
    assert (stored.degree, stored.feasible_degree) == ("full", "partial")

    cell = _cell(page, "ddr", "programmatic")

    # the cell takes the colour of what to plan for, hatched, and names the gap and its barriers
    assert "degree-partial constrained" in cell
    assert "▼" in cell
    text = " ".join(re.sub(r"<[^>]+>", "", cell.split(">", 1)[1]).split())
    assert text.startswith("Plan for ◐ Partial")
    categories = ", ".join(dict.fromkeys(b["category"] for b in stored.barriers))
    assert f"(Full needed; blocked by {categories})" in text
    unconstrained = Recommendation.objects.filter(
        evaluation=evaluated.current_evaluation, degree=F("feasible_degree")
    ).select_related("function")[0]
    assert "constrained" not in _cell(page, unconstrained.function.code, unconstrained.level)


def test_an_hq_override_shows_beside_the_engines_answer(login, viewer, hq_reviewer, evaluated):
    # given an HQ reviewer overrode DDR's programmatic degree
    review_services.recommendation_override(
        assessment_id=evaluated.pk,
        by=hq_reviewer,
        function_code="ddr",
        level="programmatic",
        degree="partial",
        justification="Joint programmes suffice while capacity is built.",
    )
    # when anyone reads the recommendations
    page = _page(login(viewer), evaluated)
    # then the cell takes the override's colour and label, and the details keep both answers
    cell = _cell(page, "ddr", "programmatic")
    assert "degree-partial overridden" in cell
    assert "constrained" not in cell
    assert "HQ override: Partial (engine: Full)" in cell
    details = page.split('id="cell-ddr-programmatic"')[1].split('id="cell-ddr-administrative"')[0]
    assert "Joint programmes suffice while capacity is built." in details
    assert "by hq-reviewer on" in details
    assert "The engine's answer, kept beside it: Full." in details
    assert "1 HQ override." in page


def _override_stub(request, pk, function, level):  # pragma: no cover - only reversed
    raise AssertionError


urlpatterns = [
    *project_urlpatterns,
    path(
        "test-override/<int:pk>/<str:function>/<str:level>/",
        _override_stub,
        name="assessment-override",
    ),
]


@pytest.mark.urls("tests.analysis.test_recommendations")
def test_hq_reviewers_get_a_link_to_the_override_form_and_others_do_not(
    client, login, viewer, hq_reviewer, evaluated
):
    type(evaluated).objects.filter(pk=evaluated.pk).update(status="submitted")
    url = reverse("assessment-override", args=[evaluated.pk, "ddr", "programmatic"])

    assert url in _page(login(hq_reviewer), evaluated)
    client.logout()
    assert url not in _page(login(viewer), evaluated)
    assert "Override this recommendation" not in _page(login(viewer), evaluated)


def test_the_page_works_for_hq_reviewers_whether_or_not_the_override_route_exists(
    login, hq_reviewer, evaluated
):
    type(evaluated).objects.filter(pk=evaluated.pk).update(status="submitted")
    try:
        url = reverse("assessment-override", args=[evaluated.pk, "ddr", "programmatic"])
    except NoReverseMatch:
        url = None
    page = _page(login(hq_reviewer), evaluated)
    assert ("Override this recommendation" in page) is (url is not None)


def test_a_not_applicable_evaluation_shows_the_reason_instead_of_a_matrix(login, viewer, binub):
    assessment = evaluated_assessment_create(mission=binub, presence_type="observer_mission")
    assert assessment.current_evaluation.applicable is False

    page = _page(login(viewer), assessment)

    assert "Integration policy does not apply" in page
    assert assessment.current_evaluation.reason
    assert str(assessment.current_evaluation.reason)[:40] in page.replace("&#x27;", "'")
    assert 'id="recommendation-matrix"' not in page


def test_planners_see_a_compute_button_and_others_a_notice_when_nothing_is_computed(
    client, login, binub_planner, viewer, hq_reviewer, binub_assessment
):
    compute = reverse("assessment-recommendations-compute", args=[binub_assessment.pk])
    assert compute in _page(login(binub_planner), binub_assessment)
    for user in (viewer, hq_reviewer):
        client.logout()
        page = _page(login(user), binub_assessment)
        assert compute not in page
        assert "No recommendations have been computed for this assessment yet." in page


def test_a_planner_computes_recommendations_from_the_page(login, binub_planner, binub_assessment):
    client = login(binub_planner)

    response = client.post(
        reverse("assessment-recommendations-compute", args=[binub_assessment.pk])
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("assessment-recommendations", args=[binub_assessment.pk])
    binub_assessment.refresh_from_db()
    assert binub_assessment.current_evaluation.trigger == Evaluation.Trigger.ON_DEMAND
    assert 'id="recommendation-matrix"' in _page(client, binub_assessment)


def test_a_submitted_assessment_cannot_be_recomputed_from_the_page(
    login, binub_planner, binub_assessment
):
    binub_assessment.status = "submitted"
    binub_assessment.save()

    response = login(binub_planner).post(
        reverse("assessment-recommendations-compute", args=[binub_assessment.pk])
    )

    assert response.status_code == 403
    assert not Evaluation.objects.filter(assessment=binub_assessment).exists()


def test_saved_facts_after_computing_are_flagged_as_possibly_out_of_date(login, viewer, evaluated):
    client = login(viewer)
    assert "they may be out of date" not in _page(client, evaluated)
    # a review step bumps the version without touching a fact: not stale
    type(evaluated).objects.filter(pk=evaluated.pk).update(version=evaluated.version + 1)
    assert "they may be out of date" not in _page(client, evaluated)
    # a planner's saved change to a fact is
    evaluated.function_assessments.filter(function__code="ddr").update(unct_programmes=True)

    assert "they may be out of date" in _page(client, evaluated)


def test_every_free_text_on_the_page_is_escaped(login, viewer, hq_reviewer, binub):
    # given a payload in the mission name, a function name, the stored rules and barriers,
    # and an override's justification
    binub.name = XSS
    binub.save()
    assessment = evaluated_assessment_create(mission=binub)
    # catalogue functions are shown by their translated catalogue name; one outside the
    # catalogue shows its stored name, which must be escaped
    Function.objects.filter(code="ddr").update(code="local_ddr", name=XSS)
    rec = Recommendation.objects.get(
        evaluation=assessment.current_evaluation, function__code="local_ddr", level="programmatic"
    )
    rec.rules = [{"id": XSS, "principle": XSS, "explanation": XSS}]
    rec.barriers = [{"category": XSS, "level": "programmatic", "explanation": XSS, "remedy": XSS}]
    rec.save()
    review_services.recommendation_override(
        assessment_id=assessment.pk,
        by=hq_reviewer,
        function_code="ssr",
        level="strategic",
        degree="parallel",
        justification=XSS,
    )
    # when the page renders
    page = _page(login(viewer), assessment)
    # then every payload shows as text
    assert "<script>" not in page
    assert page.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;") >= 8


def test_the_matrix_costs_the_same_queries_for_one_and_twelve_functions(
    login, viewer, binub, django_assert_num_queries
):
    client = login(viewer)
    one = evaluated_assessment_create(mission=binub, functions=1)
    twelve = evaluated_assessment_create(mission=binub, functions=12)
    factories.hq_reviewer_create(username="another-reviewer")  # groups exist: a real lookup
    for assessment, rows in ((one, 1), (twelve, 12)):
        # 1 session, 2 user with their roles (the HQ reviewer check: no query of its own),
        # 3 assessment + mission + current evaluation + rulebook, 4 recommendations +
        # functions, 5 overrides + authors, 6 the functions outside the mandate, 7 "may this
        # user compute?" (editable_by), 8 a draft's function rows, to tell whether its facts
        # moved since the evaluation, 9 the assessment's scenarios (the Scenarios section)
        with django_assert_num_queries(9):
            page = _page(client, assessment)
        assert page.count('<th scope="row">') == 12
        assert page.count('<tr class="out-of-mandate">') == 12 - rows


def _french(client, assessment) -> str:
    response = client.get(
        reverse("assessment-recommendations", args=[assessment.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="fr">' in page
    return page


def test_in_french_rules_barriers_remedies_and_what_ifs_read_in_french(login, viewer, binub):
    # no agency service agreements: the administration barrier and its §VII remedy (P9)
    assessment = evaluated_assessment_create(mission=binub, agency_service_agreements=False)
    client = login(viewer)
    stored = list(Recommendation.objects.filter(evaluation=assessment.current_evaluation))
    english = [rule["explanation"] for rec in stored for rule in rec.rules]
    english += [b[key] for rec in stored for b in rec.barriers for key in ("explanation", "remedy")]
    assert any(rec.barriers for rec in stored)

    page = html.unescape(_french(client, assessment))
    # the rulebook's French, filled with French names ("pour la paix et la gouvernance")
    assert (
        "L'intégration partielle (programmes conjoints assortis de voies hiérarchiques "
        "distinctes, appuyés par des services communs ou des accords de services entre "
        "organismes) est le degré retenu par défaut à l'échelle du système pour la paix et la "
        "gouvernance" in page
    )
    assert "réexaminer les restrictions actuelles avec la Cinquième Commission" in page
    # a what-if, in French (under 2008.1 agency service agreements alone move nothing here)
    assert re.search(r"Si [^<.]*, l'intégration [^<.]*\(actuellement [a-zè]+\)\.", page)
    assert not [text for text in english if text in page]  # none of the stored English
    assert not re.search(r"If [^<.]*, [a-z]+ integration would", page)
    # the stored record stays the engine's English (the API's contract), and so does the page
    # (a rule set aside is listed under "Set aside", its explanation without the marker)
    english_page = html.unescape(_page(client, assessment))
    assert all(
        re.sub(r"^Set aside in favour of \S+: ", "", text) in english_page for text in english
    )
    assert re.search(r"If [^<.]*, [a-z]+ integration would", english_page)


def test_in_french_a_not_applicable_reason_reads_in_french(login, viewer, binub):
    assessment = evaluated_assessment_create(mission=binub, presence_type="observer_mission")
    assert not assessment.current_evaluation.applicable
    page = html.unescape(_french(login(viewer), assessment))
    assert "ne s'applique pas" in page
    assert assessment.current_evaluation.reason not in page


def test_the_french_matrix_costs_no_more_queries_than_the_english(
    login, viewer, evaluated, django_assert_num_queries
):
    client = login(viewer)
    factories.hq_reviewer_create(username="another-reviewer")
    with django_assert_num_queries(9):  # as in English: the French texts are replayed, not read
        _french(client, evaluated)


def test_in_french_the_override_form_shows_the_engines_reasons_in_french(
    login, hq_reviewer, evaluated
):
    type(evaluated).objects.filter(pk=evaluated.pk).update(
        status=review_services.REVIEWABLE_STATUSES[0]
    )
    client = login(hq_reviewer)
    url = reverse("assessment-override", args=[evaluated.pk, "ddr", "strategic"])
    stored = Recommendation.objects.get(
        evaluation=evaluated.current_evaluation, function__code="ddr", level="strategic"
    )
    page = html.unescape(client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert "des priorités pour le DDR" in page  # p1-common-strategic-plan, in French
    assert not [rule for rule in stored.rules if rule["explanation"] in page]
    english = html.unescape(client.get(url).content.decode())
    # (a rule set aside reads under its title, its explanation without the marker)
    assert all(
        re.sub(r"^Set aside in favour of \S+: ", "", rule["explanation"]) in english
        for rule in stored.rules
    )
    assert not [rule["id"] for rule in stored.rules if f">{rule['id']}" in english]
    assert "Calls for full integration" in english  # p1-common-strategic-plan's title


def test_in_french_the_matrix_names_functions_in_french(login, viewer, evaluated):
    # function rows store their English catalogue name; the page translates it from the code
    client = login(viewer)
    response = client.get(
        reverse("assessment-recommendations", args=[evaluated.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    )

    page = response.content.decode()
    assert '">Processus politique</a></th>' in page  # the matrix row
    assert "<h3>Processus politique</h3>" in page  # the cell details
    assert ">Political process<" not in page


def test_an_unchanged_save_after_computing_shows_no_out_of_date_banner(
    login, binub_planner, binub_assessment
):
    # given a planner who computed recommendations
    client = login(binub_planner)
    client.post(reverse("assessment-recommendations-compute", args=[binub_assessment.pk]))
    binub_assessment.refresh_from_db()
    # when the edit page is saved unchanged, its checkboxes posted in another order
    data = assessment_form_data(binub_assessment)
    data["ddr-dimensions"] = list(reversed(data["ddr-dimensions"]))
    response = client.post(reverse("assessment-edit", args=[binub_assessment.pk]), data)
    assert response.status_code == 302
    # then the dimensions are stored in vocabulary order
    ddr = binub_assessment.function_assessments.get(function__code="ddr")
    assert ddr.dimensions == ["political", "military", "humanitarian", "development"]
    # and the recommendations are not flagged as out of date
    assert "they may be out of date" not in _page(client, binub_assessment)


@pytest.mark.parametrize("status", ["draft", "returned", "approved"])
def test_overrides_are_only_offered_and_accepted_while_an_assessment_awaits_review(
    login, hq_reviewer, evaluated, status
):
    # given an evaluated assessment that is not awaiting review
    type(evaluated).objects.filter(pk=evaluated.pk).update(status=status)
    client = login(hq_reviewer)
    url = reverse("assessment-override", args=[evaluated.pk, "ddr", "programmatic"])
    # then the matrix offers no override, and the form neither shows nor saves one
    assert "Override this recommendation" not in _page(client, evaluated)
    assert client.get(url).status_code == 302
    response = client.post(url, {"degree": "full", "justification": "HQ knows better"})
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment-recommendations", args=[evaluated.pk])
    assert not Override.objects.filter(assessment=evaluated).exists()


def test_functions_outside_the_mandate_show_as_greyed_rows(login, viewer, binub):
    # given an assessment whose mandate holds only its first function
    assessment = evaluated_assessment_create(mission=binub, functions=1)
    # when its matrix is shown
    page = _page(login(viewer), assessment)
    # then the other functions are listed, marked as outside the mandate, without cells
    table = page.split('id="recommendation-matrix"')[1].split("</table>")[0]
    assert table.count('<tr class="out-of-mandate">') == 11
    assert table.count("Not part of this mission's mandate") == 11
    assert '<th scope="row">DDR</th>' in table


def _visible_text(fragment: str) -> str:
    """What a reader sees of an HTML fragment: tags (and their attributes) dropped."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_cell_details_mark_what_decided_and_what_was_set_aside_with_human_titles(
    login, viewer, evaluated
):
    # given a stored trace where one rule was set aside for another (invariant 13)
    recs = Recommendation.objects.filter(evaluation=evaluated.current_evaluation).select_related(
        "function"
    )
    marker = "Set aside in favour of"
    rec = next(r for r in recs if any(marker in x["explanation"] for x in r.rules))
    aside = next(x for x in rec.rules if marker in x["explanation"])
    winner = aside["explanation"].removeprefix("Set aside in favour of ").split(":")[0]
    # when a viewer opens the cell's details
    page = _page(login(viewer), evaluated)
    anchor = f'id="cell-{rec.function.code}-{rec.level}"'
    details = page.split(anchor)[1].split("</section>")[0]
    seen = _visible_text(details)
    # then the rules are grouped: the decision first, the ones set aside last, saying for what
    assert seen.index("Decided by") < seen.index("Set aside")
    decided = details.split('class="rules rules-decided"')[1].split("</ul>")[0]
    assert f'data-rule-id="{rec.rules[0]["id"]}"' in decided
    set_aside = details.split('class="rules rules-set-aside"')[1].split("</ul>")[0]
    assert f'data-rule-id="{aside["id"]}"' in set_aside
    assert "(set aside in favour of P" in _visible_text(set_aside)
    # and people read titles, never machine ids (those stay in title attributes for experts)
    for rule in rec.rules:
        assert f'title="{rule["id"]}"' in details
        assert rule["id"] not in seen
    assert winner not in seen
    assert "Set aside in favour of" not in seen


def test_an_engine_step_reads_as_a_title_in_english_and_french(login, viewer, evaluated):
    # given a cell whose trace cites an engine step (a coupling or the baseline)
    recs = Recommendation.objects.filter(evaluation=evaluated.current_evaluation).select_related(
        "function"
    )
    rec = next(r for r in recs if any(x["id"].startswith("engine.") for x in r.rules))
    step = next(x["id"] for x in rec.rules if x["id"].startswith("engine."))
    anchor = f'id="cell-{rec.function.code}-{rec.level}"'
    client = login(viewer)
    for language in ("en", "fr"):
        page = client.get(
            reverse("assessment-recommendations", args=[evaluated.pk]),
            HTTP_ACCEPT_LANGUAGE=language,
        ).content.decode()
        details = page.split(anchor)[1].split("</section>")[0]
        title = details.split(f'data-rule-id="{step}">')[1].split("</strong>")[0]
        assert step not in _visible_text(details)
        assert _visible_text(title), language
