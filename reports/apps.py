from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from integration.celery import app
        from reports import signals  # noqa: F401  (connects the receiver)
        from reports.worker import ReportSweeps

        # A worker builds its steps after Django is set up (Celery's Django fix-up), so every
        # worker runs the sweep itself, beat or no beat.
        app.steps["worker"].add(ReportSweeps)
