"""The portfolio report as a workbook: profiles, distributions, barriers, levers, review queue."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from assessments.templatetags.function_labels import function_label
from integration.templatetags.vocab import label
from reports.renderers.xlsx.cells import function_level_text, sheet_write, workbook_bytes
from reports.renderers.xlsx.levers import levers_sheet
from reports.selectors.portfolio import PortfolioReportData, Profile, ProfileCell

DEGREES = ["full", "partial", "parallel"]


def _no_approved(profile: Profile) -> str:
    return _("no approved assessment") if profile.newer else _("no assessment")


def _status(profile: Profile) -> str:
    """The approved assessment's status, and any newer one's: "Approved; newer 2008-01-01:
    Submitted"."""
    shown = [str(profile.assessment.get_status_display())] if profile.assessment else []
    if profile.newer:
        shown.append(
            _("newer, not approved: %(as_of)s %(status)s")
            % {"as_of": profile.newer.as_of, "status": profile.newer.get_status_display()}
        )
    return "; ".join(shown)


def _not_applicable(profile: Profile) -> str:
    if profile.not_evaluated:
        return _("not evaluated yet")
    evaluation = profile.evaluation
    return profile.reason if evaluation and not evaluation.applicable else ""


def _profile_cells(applicable: bool, rec: ProfileCell | None) -> tuple[str, str, str]:
    """One function at one level, one value per cell: what today's context allows, what the
    desired impact needs, and the degree an HQ reviewer set in the engine's place."""
    if rec is not None:
        override = label(rec.override, "DEGREES") if rec.override else ""
        return (
            label(rec.feasible_degree, "DEGREES"),
            label(rec.degree, "DEGREES"),
            override,
        )
    # An applicable evaluation recommends something for every function in the mandate.
    return (_("outside the mandate") if applicable else "", "", "")


def _profile_header(data: PortfolioReportData) -> list[str]:
    titles = (_("feasible today"), _("needed"), _("HQ override"))
    return [
        f"{function_level_text(function, level)}: {title}"
        for function in data.functions
        for level in data.levels
        for title in titles
    ]


def _profiles_sheet(workbook: Workbook, data: PortfolioReportData) -> None:
    # A few dozen distinct cells among 36 per mission: each text is translated once.
    cells_of = cache(_profile_cells)
    sheet_write(
        workbook,
        _("Profiles"),
        [
            _("Mission"),
            _("As of"),
            _("Status"),
            _("Phase"),
            _("Rulebook"),
            _("Humanitarian arrangement"),
            _("Not applicable"),
            *_profile_header(data),
        ],
        [
            [
                profile.mission.acronym,
                profile.assessment.as_of if profile.assessment else _no_approved(profile),
                _status(profile),
                label(profile.assessment.phase, "PHASES") if profile.assessment else "",
                profile.evaluation.rulebook.version if profile.evaluation else "",
                label(profile.arrangement, "HUMANITARIAN_ARRANGEMENTS"),
                _not_applicable(profile),
            ]
            + [
                value
                for per_function in profile.cells
                for rec in per_function
                for value in cells_of(
                    bool(profile.evaluation and profile.evaluation.applicable), rec
                )
            ]
            for profile in data.profiles
        ],
    )


def _distribution_sheet(workbook: Workbook, data: PortfolioReportData) -> None:
    sheet_write(
        workbook,
        _("Distribution"),
        [_("Function"), _("Level")]
        + [f"{_('recommended')}: {label(d, 'DEGREES')}" for d in DEGREES]
        + [f"{_('feasible today')}: {label(d, 'DEGREES')}" for d in DEGREES],
        [
            [function_label(item.function), label(level.level, "LEVELS")]
            + [level.degree.get(d, 0) for d in DEGREES]
            + [level.feasible_degree.get(d, 0) for d in DEGREES]
            for item in data.distribution
            for level in item.levels
        ],
    )


def _barriers_sheet(workbook: Workbook, data: PortfolioReportData) -> None:
    sheet_write(
        workbook,
        _("Barriers"),
        [_("Category"), _("Times"), _("Missions"), _("Functions"), _("Remedies (source §VII)")],
        [
            [
                label(b.category, "BARRIER_CATEGORIES"),
                b.count,
                ", ".join(b.missions),
                ", ".join(function_label(f) for f in b.functions),
                "\n".join(f"{r.remedy} ({r.count}×)" for r in b.remedies),
            ]
            for b in data.barriers
        ],
    )


def portfolio_xlsx_render(*, context: dict[str, Any]) -> bytes:
    """The portfolio report as a workbook: one sheet per section."""
    data: PortfolioReportData = context["data"]
    workbook = Workbook(write_only=True)
    _profiles_sheet(workbook, data)
    _distribution_sheet(workbook, data)
    _barriers_sheet(workbook, data)
    levers_sheet(workbook, data.levers)
    sheet_write(
        workbook,
        _("Waiting for review"),
        [_("Mission"), _("As of"), _("Status"), _("Since")],
        [[a.mission.acronym, a.as_of, a.get_status_display(), a.updated_at] for a in data.waiting],
    )
    return workbook_bytes(workbook)
