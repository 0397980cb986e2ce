"""Pages where a signed-in user manages their own API tokens: list, create (shown once), revoke."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from integration.api.tokens import api_token_create, api_token_revoke
from integration.audit import token_event_record
from integration.models import ApiToken
from integration.text import PlainTextField


class TokenForm(forms.Form):
    """Name, scope and an optional last day of validity."""

    name = PlainTextField(label=gettext_lazy("Name"), max_length=100)
    scope = forms.ChoiceField(
        label=gettext_lazy("Scope"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Valid until (inclusive)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Leave empty for a token that does not expire."),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("A token needs a name."))
        return name

    def clean_expires_on(self) -> dt.date | None:
        value = self.cleaned_data.get("expires_on")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("The date is in the past."))
        return value

    def expires_at(self) -> dt.datetime | None:
        """The end of the chosen day, in the site's time zone."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
        return timezone.make_aware(midnight)


def _own_tokens(request: HttpRequest):
    return ApiToken.objects.visible_to(request.user).filter(user=request.user)


@never_cache
def token_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tokens/token_list.html",
        {"tokens": _own_tokens(request), "form": TokenForm(), "now": timezone.now()},
    )


@never_cache  # the page that shows the secret must never be stored by a browser or proxy
def token_create(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("token-list")
    form = TokenForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "tokens/token_list.html",
            {"tokens": _own_tokens(request), "form": form, "now": timezone.now()},
            status=400,
        )
    issued = api_token_create(
        user=request.user,
        name=form.cleaned_data["name"],
        scope=form.cleaned_data["scope"],
        expires_at=form.expires_at(),
    )
    token_event_record(request=request, token=issued.token, created=True)
    return render(
        request, "tokens/token_created.html", {"token": issued.token, "secret": issued.secret}
    )


@never_cache
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation, naming the token; POST revokes it."""
    token = _own_tokens(request).filter(pk=pk, revoked_at__isnull=True).first()
    if token is None:
        raise Http404
    if request.method != "POST":
        return render(request, "tokens/token_revoke.html", {"token": token})
    token = api_token_revoke(token_id=pk, by=request.user)
    token_event_record(request=request, token=token, created=False)
    messages.success(request, _("Token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("token-list")
