"""Routes of the scenario pages (included from assessments/urls.py)."""

from django.urls import path

from assessments import scenario_compare_views, scenario_views

urlpatterns = [
    path(
        "assessments/<int:pk>/scenarios/new/",
        scenario_views.scenario_create,
        name="scenario-create",
    ),
    path(
        "assessments/<int:pk>/scenarios/<int:id>/edit/",
        scenario_views.scenario_edit,
        name="scenario-edit",
    ),
    path(
        "assessments/<int:pk>/scenarios/<int:id>/delete/",
        scenario_views.scenario_delete,
        name="scenario-delete",
    ),
    path(
        "assessments/<int:pk>/scenarios/<int:id>/apply/",
        scenario_views.scenario_apply,
        name="scenario-apply",
    ),
    path(
        "assessments/<int:pk>/scenarios/compare/",
        scenario_compare_views.scenario_compare,
        name="scenario-compare",
    ),
    path(
        "assessments/<int:pk>/scenarios/from-lever/",
        scenario_compare_views.scenario_from_lever,
        name="scenario-from-lever",
    ),
]
