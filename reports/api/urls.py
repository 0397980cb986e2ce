"""Routes of /api/v1/reports/, included before the main /api/v1/ routes (integration/urls.py)."""

from __future__ import annotations

from django.urls import path

from reports.api.views import ReportFileView, ReportJobDetailView, ReportJobListCreateView

urlpatterns = [
    path("", ReportJobListCreateView.as_view(), name="report-api-list"),
    path("<int:pk>/", ReportJobDetailView.as_view(), name="report-api-detail"),
    path("<int:id>/files/<str:fmt>/", ReportFileView.as_view(), name="report-api-file"),
]
