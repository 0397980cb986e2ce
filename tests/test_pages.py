"""The pages a signed-in user sees first: home, mission, assessment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests import factories
from tests.factories import PASSWORD


@pytest.mark.django_db
def test_home_lists_missions_with_presence_type_phase_and_latest_status(client, viewer, binub):
    factories.AssessmentFactory(mission=binub, phase="peacebuilding", status="approved")
    factories.MissionFactory(acronym="UNMEE", presence_type="observer_mission")
    client.login(username=viewer.username, password=PASSWORD)

    page = client.get(reverse("home")).content.decode()

    assert "BINUB" in page
    assert "UNMEE" in page
    assert "Observer mission (ceasefire monitoring)" in page
    assert "Peacebuilding" in page
    assert "Approved" in page
    assert "none yet" in page  # UNMEE has no assessment


@pytest.mark.django_db
def test_home_uses_the_same_number_of_queries_for_one_and_many_missions(
    client, viewer, django_assert_num_queries
):
    client.login(username=viewer.username, password=PASSWORD)
    # session, user, missions annotated with their latest assessment (one query)
    with django_assert_num_queries(3):
        client.get(reverse("home"))
    for n in range(20):
        mission = factories.MissionFactory(acronym=f"X{n}")
        factories.AssessmentFactory(mission=mission, functions=False)
    with django_assert_num_queries(3):
        client.get(reverse("home"))


@pytest.mark.django_db
def test_mission_page_shows_context_and_entities(client, viewer, binub):
    factories.MissionEntityFactory(
        mission=binub, entity__acronym="UNDP", entity__name="UN Development Programme"
    )
    factories.AssessmentFactory(mission=binub, force_posture="deterrent")
    client.login(username=viewer.username, password=PASSWORD)

    page = client.get(reverse("mission-detail", args=["BINUB"])).content.decode()

    assert "UN Development Programme" in page
    assert "UNCT member" in page
    assert "Deterrent posture" in page


@pytest.mark.django_db
def test_unknown_mission_is_404(client, viewer):
    client.login(username=viewer.username, password=PASSWORD)
    assert client.get(reverse("mission-detail", args=["NOPE"])).status_code == 404


@pytest.mark.django_db
def test_login_page_needs_no_session_and_logs_in(client, viewer):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": viewer.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_free_text_renders_escaped(client, viewer, binub):
    binub.mandate_notes = "<script>alert('x')</script>"
    binub.save()
    client.login(username=viewer.username, password=PASSWORD)
    page = client.get(reverse("mission-detail", args=["BINUB"])).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


@pytest.mark.django_db
def test_home_shows_the_latest_approved_assessment_and_a_newer_one_with_its_status(
    client, viewer, binub
):
    # given BINUB approved in 2007 (peacebuilding), then a newer one returned in 2008
    # (transition), and UNMEE with only a submitted assessment
    approved = factories.AssessmentFactory(
        mission=binub, phase="peacebuilding", status="approved", functions=False
    )
    returned = factories.AssessmentFactory(
        mission=binub,
        as_of=dt.date(2008, 1, 1),
        phase="transition",
        status="returned",
        functions=False,
    )
    unmee = factories.MissionFactory(acronym="UNMEE")
    factories.AssessmentFactory(mission=unmee, status="submitted", functions=False)
    client.login(username=viewer.username, password=PASSWORD)

    page = client.get(reverse("home")).content.decode()

    # then BINUB's row links the approved one and names the returned one with its status
    binub_row = page.split("BINUB</a>")[1].split("</tr>")[0]
    assert f'href="{reverse("assessment-detail", args=[approved.pk])}">2007-04-26</a>' in binub_row
    assert "Peacebuilding" in binub_row
    assert "Transition" not in binub_row
    assert "Newer, not approved:" in binub_row
    assert f'href="{reverse("assessment-detail", args=[returned.pk])}">2008-01-01</a>' in binub_row
    assert '<span class="status status-returned">Returned</span>' in binub_row
    # and UNMEE's row says nothing is approved yet
    unmee_row = page.split("UNMEE</a>")[1].split("</tr>")[0]
    assert "none approved yet" in unmee_row
    assert "Latest, not approved:" in unmee_row
    assert "Submitted" in unmee_row
