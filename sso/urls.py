"""Single sign-on routes (they answer 404 while OIDC_ENABLED is off)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from sso import views

# The names are mozilla-django-oidc's defaults, which its views reverse.
urlpatterns = [
    path(
        "authenticate/",
        login_not_required(views.OidcAuthenticateView.as_view()),
        name="oidc_authentication_init",
    ),
    path(
        "callback/",
        login_not_required(views.OidcCallbackView.as_view()),
        name="oidc_authentication_callback",
    ),
]
