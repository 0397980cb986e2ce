"""Reports that Celery workers produce: mission and portfolio, as PDF, HTML and XLSX.

A ReportJob row is the source of truth; see docs/reports.md for the life of a job.
"""
