from django.urls import include, path

from assessments import history_views, mission_views, preview_views, review_views, views

urlpatterns = [
    path("", mission_views.home, name="home"),
    path("missions/<slug:acronym>/", mission_views.mission_detail, name="mission-detail"),
    path(
        "missions/<slug:acronym>/assessments/new/", views.assessment_start, name="assessment-start"
    ),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/edit/", views.assessment_edit, name="assessment-edit"),
    path(
        "assessments/<int:pk>/edit/preview/",
        preview_views.assessment_preview,
        name="assessment-preview",
    ),
    path(
        "assessments/<int:pk>/history/", history_views.assessment_history, name="assessment-history"
    ),
    path("review/", review_views.review_queue, name="review-queue"),
    path(
        "assessments/<int:pk>/review/<str:decision>/",
        review_views.assessment_review,
        name="assessment-review",
    ),
    path(
        "assessments/<int:pk>/override/<str:function>/<str:level>/",
        review_views.assessment_override,
        name="assessment-override",
    ),
    path("", include("assessments.scenario_urls")),
]
