"""Reads for reports: the jobs a user sees (`jobs`), the data of a mission report (`mission`)
and of a portfolio report (`portfolio`).

Report data holds codes, rows and counts in dataclasses; renderers turn codes into translated
labels. Query counts stay flat in the number of functions (mission) and missions (portfolio).
"""

from reports.selectors.jobs import report_job_get, report_jobs_list
from reports.selectors.mission import (
    LEVELS,
    MissionReportData,
    mission_report_assessment_get,
    mission_report_data,
)
from reports.selectors.portfolio import (
    PortfolioReportData,
    portfolio_missions,
    portfolio_report_data,
)

__all__ = [
    "LEVELS",
    "MissionReportData",
    "PortfolioReportData",
    "mission_report_assessment_get",
    "mission_report_data",
    "portfolio_missions",
    "portfolio_report_data",
    "report_job_get",
    "report_jobs_list",
]
