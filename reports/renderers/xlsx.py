"""XLSX reports with openpyxl. Every text cell goes through `cell_safe`.

Spreadsheet programs run a cell that begins with `=`, `+`, `-` or `@` as a formula (and some
treat a leading tab or carriage return the same way), so a desired impact such as
`=HYPERLINK("http://evil", "click")` would become a live link. openpyxl would even store it as
a formula. A leading apostrophe makes such text an inert string, as OWASP recommends.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from assessments.selectors.arrangement import ArrangementView
from assessments.templatetags.function_labels import function_label
from integration.templatetags.vocab import label
from integration.text import xml_text_strip
from reports.selectors.barriers import Barrier
from reports.selectors.mission import MissionReportData
from reports.selectors.portfolio import PortfolioReportData, Profile, ProfileCell

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(value: Any) -> Any:
    """A value fit for a cell: characters XML cannot hold are dropped, text that could start a
    formula is prefixed with an apostrophe; aware datetimes become UTC text (Excel has no time
    zones)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, bool | int | float | dt.date):
        return value
    text = xml_text_strip(str(value))
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


# Shared by every cell: a workbook in write-only mode streams its rows out as they are appended,
# and a style object made once is registered once (openpyxl hashed a new Alignment per cell).
_HEADER_FONT = Font(bold=True)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")


def _style_of(sheet, **style: Any):
    """The style array of a cell with these attributes, for `_cell` to share: assigning a style
    object to a cell hashes it against the workbook's registry, 40,000 times for a portfolio."""
    cell = WriteOnlyCell(sheet)
    for name, shared in style.items():
        setattr(cell, name, shared)
    return cell._style


def _cell(sheet, value: Any, style, **attributes: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, dt.date):
        # openpyxl gave it a date format: keep it, add the attributes the one way
        for name, shared in attributes.items():
            setattr(cell, name, shared)
    else:
        cell._style = style  # never changed once made: every cell of a kind shares it
    return cell


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> None:
    """One sheet: a bold header row frozen above the rows, with filters on every column, every
    cell wrapped and top-aligned, each column as wide as its longest text (8 to 60 characters).
    An empty section is its header alone: a data row reading "none" would sort and filter as
    data."""
    sheet = workbook.create_sheet(title=title[:31])
    header = [cell_safe(text) for text in header]
    body = [[cell_safe(value) for value in row] for row in rows]
    # Write-only: widths and the frozen pane are set before the first row is written.
    for index in range(len(header)):
        width = max(
            (len(str(row[index])) for row in (header, *body) if index < len(row) and row[index]),
            default=8,
        )
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(width, 8), 60) + 2
    sheet.freeze_panes = "A2"
    if body and header:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(body) + 1}"
    bold, wrapped = _style_of(sheet, font=_HEADER_FONT), _style_of(sheet, alignment=_WRAP_TOP)
    sheet.append([_cell(sheet, text, bold, font=_HEADER_FONT) for text in header])
    for row in body:
        sheet.append([_cell(sheet, value, wrapped, alignment=_WRAP_TOP) for value in row])


def _save(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _degrees(degree: str, feasible: str) -> str:
    if degree == feasible:
        return label(feasible, "DEGREES")
    return _("%(feasible)s (needs %(degree)s)") % {
        "feasible": label(feasible, "DEGREES"),
        "degree": label(degree, "DEGREES"),
    }


def _affected(barrier: Barrier) -> str:
    """A merged barrier's functions by level: "Administrative: DDR, SSR; Programmatic: SSR"."""
    return "; ".join(
        f"{', '.join(label(level, 'LEVELS') for level in levels)}: "
        f"{', '.join(function_label(f) for f in functions)}"
        for levels, functions in barrier.by_levels
    )


def _arrangement_label(arrangement: ArrangementView | None) -> str:
    return label(arrangement.arrangement, "HUMANITARIAN_ARRANGEMENTS") if arrangement else ""


def _arrangement_sheet(workbook: Workbook, arrangement: ArrangementView) -> None:
    """The model, why, what was set aside, the barriers in its way and the risks to review."""
    rules = [(_("Decided by"), rule) for rule in arrangement.decided_by]
    rules += [(_("Set aside"), rule) for rule in arrangement.set_aside]
    rules += [(_("Risk to review with the HCT"), rule) for rule in arrangement.risks]
    model = [_("Recommended model"), "", "", _arrangement_label(arrangement), ""]
    _sheet(
        workbook,
        _("Humanitarian arrangement"),
        [_("What"), _("Principle or category"), _("Rule"), _("Text"), _("Remedy (source §VII)")],
        [model]
        + [[what, rule["principle"], rule["id"], rule["explanation"], ""] for what, rule in rules]
        + [
            [_("Barrier"), category, "", barrier["explanation"], barrier["remedy"]]
            for barrier in arrangement.barriers
            for category in [label(barrier["category"], "BARRIER_CATEGORIES")]
        ],
    )


def mission_xlsx_render(*, context: dict[str, Any]) -> bytes:
    """The mission report as a workbook: one sheet per section."""
    data: MissionReportData = context["data"]
    assessment, evaluation, rulebook = data.assessment, data.evaluation, data.rulebook
    principles = dict(data.principles)
    workbook = Workbook(write_only=True)
    _sheet(
        workbook,
        _("Summary"),
        [_("Item"), _("Value")],
        [
            [_("Mission"), f"{data.mission.acronym}: {data.mission.name}"],
            [_("Country"), data.mission.country],
            [_("Assessment as of"), assessment.as_of],
            [_("Status"), assessment.get_status_display()],
            [_("Rulebook"), f"{rulebook.name} {rulebook.version}" if rulebook else ""],
            [_("Humanitarian arrangement"), _arrangement_label(data.arrangement)],
            [_("Evaluated at"), evaluation.created_at if evaluation else ""],
            [_("Integration policy applies"), evaluation.applicable if evaluation else ""],
            [_("Reason"), data.reason if evaluation else _("not evaluated yet")],
            [
                _("Functions outside the mandate"),
                ", ".join(function_label(f) for f in data.outside_mandate) or _("none"),
            ],
            [_("Levels where today's context allows less than needed"), len(data.gaps)],
            [_("Overrides"), len(data.overrides)],
            [_("Generated at"), context["generated_at"]],
            [_("Requested by"), context["requested_by"]],
        ],
    )
    _sheet(
        workbook,
        _("Gaps"),
        [
            _("Function"),
            _("Level"),
            _("The desired impact calls for"),
            _("Today's context allows"),
            _("Barriers"),
        ],
        [
            [
                function_label(gap.function),
                label(gap.level, "LEVELS"),
                label(gap.degree, "DEGREES"),
                label(gap.feasible_degree, "DEGREES"),
                ", ".join(label(c, "BARRIER_CATEGORIES") for c in gap.categories),
            ]
            for gap in data.gaps
        ],
    )
    _sheet(workbook, _("Context"), [_("Fact"), _("Value")], [list(r) for r in data.context])
    levels = ["strategic", "programmatic", "administrative"]
    _sheet(
        workbook,
        _("Matrix"),
        [_("Function"), _("Lead")]
        + [
            f"{label(level, 'LEVELS')}: {title}"
            for level in levels
            for title in (_("degree"), _("feasible today"), _("override"))
        ],
        [
            [function_label(item.function), label(item.lead, "LEADS")]
            + [
                value
                for level in item.levels
                for value in (
                    label(level.degree, "DEGREES"),
                    label(level.feasible_degree, "DEGREES"),
                    label(level.override.degree, "DEGREES") if level.override else "",
                )
            ]
            for item in data.functions
        ],
    )
    _sheet(
        workbook,
        _("Rationale"),
        [
            _("Function"),
            _("Desired impact"),
            _("Level"),
            _("Principle"),
            _("Principle name"),
            _("Rule"),
            _("Why"),
        ],
        [
            [
                function_label(item.function),
                item.desired_impact,
                label(level.level, "LEVELS"),
                rule.get("principle", ""),
                principles.get(rule.get("principle", ""), ""),
                rule.get("id", ""),
                rule.get("explanation", ""),
            ]
            for item in data.functions
            for level in item.levels
            for rule in level.rules
        ],
    )
    _sheet(
        workbook,
        _("Barriers"),
        [_("Category"), _("Affects"), _("Barrier"), _("Remedy (source §VII)")],
        [
            [
                label(category, "BARRIER_CATEGORIES"),
                _affected(barrier),
                barrier.explanation,
                barrier.remedy,
            ]
            for category, barriers in data.barrier_register
            for barrier in barriers
        ],
    )
    if data.arrangement is not None:
        _arrangement_sheet(workbook, data.arrangement)
    changes = data.changes
    arrangement_changed = (
        [
            [_("Humanitarian arrangement"), ""]
            + [label(code, "HUMANITARIAN_ARRANGEMENTS") or "—" for code in changes.arrangement]
        ]
        if changes.arrangement
        else []
    )
    _sheet(
        workbook,
        _("Changes"),
        [_("What"), _("Item"), _("Before"), _("Now")],
        [[_("Fact"), fact, before, after] for fact, before, after in changes.facts]
        + arrangement_changed
        + [
            [
                _("Recommendation"),
                f"{function_label(change.function)} · {label(change.level, 'LEVELS')}",
                _degrees(*change.before) if change.before else "",
                _degrees(*change.after),
            ]
            for change in changes.recommendations
        ],
    )
    _sheet(
        workbook,
        _("Review"),
        [_("Kind"), _("By"), _("At"), _("Subject"), _("Text")],
        [
            [
                comment.get_kind_display(),
                str(comment.author or ""),
                comment.created_at,
                "",
                comment.body,
            ]
            for comment in data.comments
        ]
        + [
            [
                _("Override"),
                str(override.author or ""),
                override.created_at,
                f"{function_label(override.function)} · {label(override.level, 'LEVELS')} → "
                f"{label(override.degree, 'DEGREES')}",
                override.justification,
            ]
            for override in data.overrides
        ],
    )
    return _save(workbook)


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


def _profile_cell(applicable: bool, rec: ProfileCell | None) -> str:
    if rec is not None and rec.override:
        return _("%(override)s (HQ override; engine: %(engine)s)") % {
            "override": label(rec.override, "DEGREES"),
            "engine": _degrees(rec.degree, rec.feasible_degree),
        }
    if rec is not None:
        return _degrees(rec.degree, rec.feasible_degree)
    # An applicable evaluation recommends something for every function in the mandate.
    return _("outside the mandate") if applicable else ""


def portfolio_xlsx_render(*, context: dict[str, Any]) -> bytes:
    """The portfolio report as a workbook: profiles, distributions, barriers, review queue."""
    data: PortfolioReportData = context["data"]
    functions, levels = data.functions, data.levels
    # A few dozen distinct cells among 36 per mission: each text is translated once.
    cell_text = cache(_profile_cell)
    workbook = Workbook(write_only=True)
    _sheet(
        workbook,
        _("Profiles"),
        [_("Mission"), _("As of"), _("Status"), _("Phase"), _("Rulebook")]
        + [_("Humanitarian arrangement"), _("Not applicable")]
        + [
            f"{function_label(function)} · {label(level, 'LEVELS')}"
            for function in functions
            for level in levels
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
                cell_text(bool(profile.evaluation and profile.evaluation.applicable), rec)
                for per_function in profile.cells
                for rec in per_function
            ]
            for profile in data.profiles
        ],
    )
    degrees = ["full", "partial", "parallel"]
    _sheet(
        workbook,
        _("Distribution"),
        [_("Function"), _("Level")]
        + [f"{_('recommended')}: {label(d, 'DEGREES')}" for d in degrees]
        + [f"{_('feasible today')}: {label(d, 'DEGREES')}" for d in degrees],
        [
            [function_label(item.function), label(level.level, "LEVELS")]
            + [level.degree.get(d, 0) for d in degrees]
            + [level.feasible_degree.get(d, 0) for d in degrees]
            for item in data.distribution
            for level in item.levels
        ],
    )
    _sheet(
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
    _sheet(
        workbook,
        _("Waiting for review"),
        [_("Mission"), _("As of"), _("Status"), _("Since")],
        [[a.mission.acronym, a.as_of, a.get_status_display(), a.updated_at] for a in data.waiting],
    )
    return _save(workbook)


XLSX_RENDERERS = {"mission": mission_xlsx_render, "portfolio": portfolio_xlsx_render}
