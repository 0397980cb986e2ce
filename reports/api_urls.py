"""Routes of /api/v1/reports/, included before the main /api/v1/ routes (integration/urls.py)."""

from django.urls import path

from reports import api

urlpatterns = [
    path("", api.ReportJobListCreateView.as_view(), name="report-api-list"),
    path("<int:pk>/", api.ReportJobDetailView.as_view(), name="report-api-detail"),
    path("<int:id>/files/<str:fmt>/", api.ReportFileView.as_view(), name="report-api-file"),
]
