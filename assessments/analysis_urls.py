"""Routes of the analysis pages (included from integration/urls.py)."""

from django.urls import path

from assessments import analysis_views as views
from assessments import portfolio_views

urlpatterns = [
    path(
        "assessments/<int:pk>/recommendations/",
        views.assessment_recommendations,
        name="assessment-recommendations",
    ),
    path(
        "assessments/<int:pk>/recommendations/compute/",
        views.assessment_recommendations_compute,
        name="assessment-recommendations-compute",
    ),
    path("assessments/<int:pk>/compare/", views.assessment_compare, name="assessment-compare"),
    # Not under missions/: "missions/<acronym>/" would read "compare" as an acronym.
    path("compare/missions/", views.missions_compare, name="missions-compare"),
    path("levers/", views.portfolio_levers, name="portfolio-levers"),
    path("portfolio/", portfolio_views.portfolio, name="portfolio"),
    path("missions/<slug:acronym>/timeline/", views.mission_timeline, name="mission-timeline"),
]
