from django.urls import path

from assessments import views

urlpatterns = [
    path(
        "missions/<str:acronym>/assessments/new/", views.assessment_start, name="assessment-start"
    ),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/edit/", views.assessment_edit, name="assessment-edit"),
]
