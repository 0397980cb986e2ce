"""The demo accounts `make run` creates: one per role, on the five sample missions."""

from __future__ import annotations

import re
from html import unescape
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse

from missions.models import MissionMembership
from missions.roles import HQ_REVIEWERS_GROUP

User = get_user_model()

PASSWORDS = {
    "planner": "planner-demo-2007",
    "planner-unmis": "unmis-demo-2007",
    "reviewer": "reviewer-demo-2007",
    "admin": "admin-demo-2007",
}


def _missions_planned_by(username: str) -> set[str]:
    return set(
        MissionMembership.objects.filter(
            user__username=username, role=MissionMembership.Role.PLANNER
        ).values_list("mission__acronym", flat=True)
    )


def _accounts_snapshot() -> list[tuple]:
    users = User.objects.order_by("username").values_list(
        "id", "username", "is_staff", "is_superuser"
    )
    memberships = MissionMembership.objects.order_by("id").values_list(
        "id", "user__username", "mission__acronym", "role"
    )
    groups = User.groups.through.objects.order_by("id").values_list("user__username", "group__name")
    return [*users, *memberships, *groups]


@pytest.fixture
def demo(db):
    call_command("load_sample_data", verbosity=0)
    with override_settings(DEBUG=True):
        call_command("ensure_demo_accounts", stdout=StringIO())


@pytest.mark.django_db
def test_it_refuses_with_debug_off_and_creates_no_account():
    with override_settings(DEBUG=False), pytest.raises(CommandError) as caught:
        call_command("ensure_demo_accounts")
    assert "refused with DEBUG off" in str(caught.value)
    assert not User.objects.filter(username__in=PASSWORDS).exists()


@pytest.mark.django_db
def test_it_prints_every_account_with_its_password(capsys):
    call_command("load_sample_data", verbosity=0)
    with override_settings(DEBUG=True):
        call_command("ensure_demo_accounts")
    printed = capsys.readouterr().out
    for username, password in PASSWORDS.items():
        assert re.search(rf"^\s+{re.escape(username)}\s+{re.escape(password)}\s", printed, re.M)


def test_planner_plans_exactly_monuc_and_binub(demo):
    assert _missions_planned_by("planner") == {"MONUC", "BINUB"}


def test_planner_unmis_plans_only_unmis(demo):
    assert _missions_planned_by("planner-unmis") == {"UNMIS"}
    assert not MissionMembership.objects.filter(user__username="planner-unmis").exclude(
        mission__acronym="UNMIS"
    )


def test_reviewer_is_an_hq_reviewer_and_nothing_more(demo):
    reviewer = User.objects.get(username="reviewer")
    assert list(reviewer.groups.values_list("name", flat=True)) == [HQ_REVIEWERS_GROUP]
    assert not reviewer.is_staff
    assert not reviewer.is_superuser
    assert not MissionMembership.objects.filter(user=reviewer).exists()


def test_admin_is_a_superuser(demo):
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff


def test_every_demo_password_signs_in(demo):
    for username, password in PASSWORDS.items():
        assert Client().login(username=username, password=password), username


def test_running_it_twice_gives_the_same_rows(demo):
    before = _accounts_snapshot()
    with override_settings(DEBUG=True):
        call_command("ensure_demo_accounts", stdout=StringIO())
    assert _accounts_snapshot() == before
    assert Group.objects.filter(name=HQ_REVIEWERS_GROUP).count() == 1


def _home_rows(page: str) -> dict[str, list[str]]:
    """{mission acronym: [cell texts]} from the home page's table body."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows[cells[0].split()[0]] = cells
    return rows


def test_planner_home_lists_the_five_missions_with_presence_type_phase_and_status(demo):
    # given the sample data and the demo planner, when they open the home page
    client = Client()
    assert client.login(username="planner", password=PASSWORDS["planner"])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    # then each of the five missions shows its presence type, its phase and its latest status
    rows = _home_rows(response.content.decode())
    peacekeeping = "Multidimensional peacekeeping operation"
    assert {acronym: cells[2:4] for acronym, cells in rows.items()} == {
        "BINUB": ["Political mission", "Peacebuilding"],
        "MONUC": [peacekeeping, "Peacekeeping"],
        "UNAMID": ["Hybrid operation (UN and regional organisation)", "Peacekeeping"],
        "UNMEE": ["Observer mission (ceasefire monitoring)", "Peacekeeping"],
        "UNMIS": [peacekeeping, "Peacekeeping"],
    }
    for acronym, cells in rows.items():
        assert cells[4] == "2007-04-26 Approved", acronym
