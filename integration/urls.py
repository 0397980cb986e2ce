"""The project's URL root: sign-in, the admin, every app's pages and /api/v1/.

The one module of the integration package that imports the apps above it, and only their URL
modules (tests/test_layers.py): it assembles their routes under one tree.
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from assessments.api import urls as assessments_api_urls
from integration import token_views, views
from integration.api import urls as integration_api_urls
from missions.api import urls as missions_api_urls

# /api/v1/: every app's resources under one root page and one namespace ("api"). In the order
# the root page lists them: the catalogue, missions and assessments, rulebooks.
api_router = DefaultRouter()
for app_urls in (missions_api_urls, assessments_api_urls, integration_api_urls):
    api_router.registry.extend(app_urls.router.registry)
api_urlpatterns = [*integration_api_urls.urlpatterns, *api_router.urls]

REDOC = SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html")

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("oidc/", include("sso.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    # The language switcher sits on the login page too, so it works without a session
    # (LoginRequiredMiddleware would otherwise send the POST to the login page).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/reports/", include("reports.api.urls")),
    path("api/v1/", include((api_urlpatterns, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Split: the start-up script is a request of its own (?script), not inline (CSP).
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html"),
        name="swagger-ui",
    ),
    # Redoc sits beside Swagger UI under /api/docs/; /api/redoc/, its first address, still
    # serves it for existing links. One name for both (reverse() gives the last, the new one),
    # so the open routes listed in tests/test_permissions.py cover both.
    path("api/redoc/", REDOC, name="redoc"),
    path("api/docs/redoc/", REDOC, name="redoc"),
    path("tokens/", token_views.token_list, name="token-list"),
    path("tokens/new/", token_views.token_create, name="token-create"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="token-revoke"),
    path("", include("assessments.urls")),
    path("", include("assessments.analysis_urls")),
    path("", include("reports.urls")),
]
# The API answers a route miss in its own error format; pages keep Django's.
handler404 = "integration.api.exceptions.page_not_found"
handler400 = "integration.api.exceptions.bad_request"
