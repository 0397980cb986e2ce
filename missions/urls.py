from django.urls import path

from missions import views

urlpatterns = [
    path("", views.home, name="home"),
    path("missions/<str:acronym>/", views.mission_detail, name="mission-detail"),
]
