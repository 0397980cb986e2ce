from django.urls import path

from reports import views

urlpatterns = [
    path("reports/", views.report_list, name="reports"),
    path("reports/request/", views.report_request, name="report-request"),
    path("reports/<int:pk>/", views.report_page, name="report-page"),
    path("reports/<int:pk>/status/", views.report_status, name="report-status"),
    path("reports/<int:pk>/retry/", views.report_retry, name="report-retry"),
    path("reports/<int:pk>/download/<str:fmt>/", views.report_download, name="report-download"),
]
