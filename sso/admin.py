from django.contrib import admin

from sso.models import OidcIdentity


@admin.register(OidcIdentity)
class OidcIdentityAdmin(admin.ModelAdmin):
    list_display = ("user", "subject", "issuer", "last_sign_in_at")
    search_fields = ("user__username", "subject")
    list_select_related = ("user",)
    # Written by sign-ins only; deleting one unlinks the user (the next sign-in makes a new one).
    readonly_fields = ("user", "issuer", "subject", "created_at", "last_sign_in_at")

    def has_add_permission(self, request):
        return False
