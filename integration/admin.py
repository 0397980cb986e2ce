"""Admin for rulebooks: upload (validated), publish; and API tokens and sign-in events.

The preview of what a rulebook would change in the stored assessments is added by
assessments/admin.py: re-evaluation lives in assessments, a layer above this package.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from integration import services
from integration.api.tokens import api_token_create, api_token_revoke
from integration.audit import signin_events_csv, token_event_record
from integration.exceptions import RulebookInvalid, RulebookStateError
from integration.models import ApiToken, Rulebook, SignInEvent


class RulebookUploadForm(forms.ModelForm):
    """Paste the YAML or upload a file; it must load and keep the invariants before anything is
    stored."""

    upload = forms.FileField(label=_("Rulebook file (YAML)"), required=False)
    content = forms.CharField(
        label=_("Content (YAML)"), widget=forms.Textarea(attrs={"rows": 20}), required=False
    )

    class Meta:
        model = Rulebook
        fields = ("effective_date", "content")

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        content = (
            upload.read().decode("utf-8", errors="replace") if upload else cleaned.get("content")
        )
        if not content:
            raise forms.ValidationError({"content": _("Paste the rulebook or upload a file.")})
        try:
            compiled = services.rulebook_check(content=content)
        except RulebookInvalid as exc:
            raise forms.ValidationError({"content": str(exc)}) from exc
        if Rulebook.objects.filter(version=compiled.version).exists():
            raise forms.ValidationError(
                {"content": _('Version "%(v)s" already exists.') % {"v": compiled.version}}
            )
        cleaned["content"] = content
        return cleaned


@admin.register(Rulebook)
class RulebookAdmin(admin.ModelAdmin):
    # Rulebooks share a name ("default"): the version tells them apart, so it leads and links.
    list_display = ("version", "name", "status", "effective_date", "published_at", "checksum")
    list_display_links = ("version",)
    list_filter = ("status",)
    readonly_fields = ("name", "version", "status", "checksum", "created_at", "published_at")
    actions = ("publish_selected",)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            return RulebookUploadForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("effective_date", "upload", "content")
        return (*self.readonly_fields, "effective_date", "content")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (*self.readonly_fields, "content")  # stored rulebooks never change

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=("effective_date",))
            return
        created = services.rulebook_create(
            content=form.cleaned_data["content"],
            by=request.user,
            effective_date=form.cleaned_data.get("effective_date"),
        )
        obj.pk = created.pk
        obj.refresh_from_db()

    def has_delete_permission(self, request, obj=None):
        # Evaluations point at rulebooks to stay replayable; retire instead of deleting.
        return False

    @admin.action(description=_("Publish the selected rulebook (retires the current one)"))
    def publish_selected(self, request, queryset):
        """Never publishes at once: sends the admin to the same review as the change page."""
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one rulebook."), messages.ERROR)
            return None
        return redirect(self.publish_review_url(queryset.get().pk))

    def publish_review_url(self, pk: int) -> str:
        """Where publishing starts: the confirmation (a subclass may show more first)."""
        return reverse("admin:integration_rulebook_publish", args=[pk])

    def get_urls(self):
        return [
            path(
                "<int:pk>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="integration_rulebook_publish",
            ),
            *super().get_urls(),
        ]

    def publish_view(self, request, pk: int):
        """GET asks for confirmation, naming what is retired; POST publishes."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        rulebook = get_object_or_404(Rulebook, pk=pk)
        change_url = reverse("admin:integration_rulebook_change", args=[pk])
        if request.method != "POST":
            if rulebook.status != Rulebook.Status.DRAFT:
                self.message_user(
                    request,
                    _("Rulebook %(v)s is %(status)s: only a draft can be published.")
                    % {"v": rulebook.version, "status": rulebook.get_status_display().lower()},
                    messages.ERROR,
                )
                return redirect(change_url)
            return TemplateResponse(
                request,
                "admin/integration/rulebook/publish_confirm.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Publish rulebook %(v)s?") % {"v": rulebook.version},
                    "rulebook": rulebook,
                    "current": Rulebook.objects.filter(status=Rulebook.Status.PUBLISHED).first(),
                    "opts": self.model._meta,
                    "cancel_url": self.publish_review_url(pk),
                },
            )
        try:
            rulebook = services.rulebook_publish(rulebook_id=pk)
        except (RulebookInvalid, RulebookStateError) as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return redirect(change_url)
        self.message_user(request, _("Published %(v)s.") % {"v": rulebook.version})
        return self.response_published(request, rulebook)

    def response_published(self, request, rulebook: Rulebook):
        """Where an admin lands after publishing (a subclass offers re-evaluation)."""
        return redirect(reverse("admin:integration_rulebook_change", args=[rulebook.pk]))


class ApiTokenAddForm(forms.ModelForm):
    """Whose token, for what, with which scope; the secret is generated and shown once."""

    class Meta:
        model = ApiToken
        fields = ("user", "name", "scope", "expires_at")

    def clean_expires_at(self) -> dt.datetime | None:
        # As on the owner's page (TokenForm): a token born expired is a mistake, not a choice.
        value = self.cleaned_data.get("expires_at")
        if value is not None and value <= timezone.now():
            raise forms.ValidationError(_("The date is in the past."))
        return value


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created here or by their owner under "API tokens", and revoked, never edited."""

    list_display = (
        "name",
        "user",
        "prefix",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("scope", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "prefix", "user__username")
    list_select_related = ("user",)
    readonly_fields = (
        "user",
        "name",
        "prefix",
        "scope",
        "expires_at",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    actions = ("revoke_selected",)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenAddForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def get_fields(self, request, obj=None):
        return ApiTokenAddForm.Meta.fields if obj is None else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the row records who had access, and until when

    def save_model(self, request, obj, form, change):
        if change:
            return
        issued = api_token_create(
            user=form.cleaned_data["user"],
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_at=form.cleaned_data.get("expires_at"),
        )
        obj.pk = issued.token.pk
        obj.refresh_from_db()
        obj.issued_secret = issued.secret
        token_event_record(request=request, token=obj, created=True)

    def response_add(self, request, obj, post_url_continue=None):
        # Shown in this response only: never in a message, a cookie or the session.
        response = TemplateResponse(
            request,
            "admin/integration/apitoken/created.html",
            {
                **self.admin_site.each_context(request),
                "title": _("API token created"),
                "token": obj,
                "secret": obj.issued_secret,
                "opts": self.model._meta,
            },
        )
        add_never_cache_headers(response)
        return response

    @admin.action(description=_("Revoke the selected tokens…"))
    def revoke_selected(self, request, queryset):
        """First a page naming the tokens and asking to confirm (as deleting does); then revoke."""
        tokens = list(queryset.filter(revoked_at__isnull=True).select_related("user"))
        if request.POST.get("confirmed") != "yes":
            return TemplateResponse(
                request,
                "admin/integration/apitoken/revoke_confirm.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Revoke these tokens?"),
                    "tokens": tokens,
                    "selected": queryset.values_list("pk", flat=True),
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                    "opts": self.model._meta,
                },
            )
        for token in tokens:
            revoked = api_token_revoke(token_id=token.pk, by=request.user)
            token_event_record(request=request, token=revoked, created=False)
        self.message_user(request, _("Revoked %(n)d token(s).") % {"n": len(tokens)})
        return None


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    """The sign-in audit, read-only: beat prunes it (SIGNIN_AUDIT_RETENTION_DAYS), nobody edits."""

    list_display = ("at", "kind", "method", "username", "address", "detail")
    list_filter = ("kind", "method", "at")
    search_fields = ("username", "address", "detail")
    date_hierarchy = "at"
    actions = ("export_csv",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Export the selected events as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(
            signin_events_csv(queryset.order_by("at", "id")), content_type="text/csv"
        )
        response["Content-Disposition"] = 'attachment; filename="sign-in-audit.csv"'
        add_never_cache_headers(response)
        return response
