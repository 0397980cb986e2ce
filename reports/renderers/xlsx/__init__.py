"""XLSX reports with openpyxl: shared cells and sheets in `cells`, one module per report (the
mission's arrangement and history sheets in their own). Every text cell goes through
`cell_safe`."""

from reports.renderers.xlsx.cells import cell_safe
from reports.renderers.xlsx.mission import mission_xlsx_render
from reports.renderers.xlsx.portfolio import portfolio_xlsx_render

XLSX_RENDERERS = {"mission": mission_xlsx_render, "portfolio": portfolio_xlsx_render}

__all__ = ["XLSX_RENDERERS", "cell_safe", "mission_xlsx_render", "portfolio_xlsx_render"]
