from django.contrib import admin

from missions.models import Function, Mission, MissionEntity, MissionMembership, UNEntity


@admin.register(Function)
class FunctionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "position")
    search_fields = ("code", "name")


@admin.register(UNEntity)
class UNEntityAdmin(admin.ModelAdmin):
    list_display = ("acronym", "name", "kind", "funding_basis", "humanitarian_mandate", "neutral")
    list_filter = ("kind", "funding_basis", "humanitarian_mandate", "neutral")
    search_fields = ("acronym", "name")


class MissionEntityInline(admin.TabularInline):
    model = MissionEntity
    extra = 0
    autocomplete_fields = ("entity",)


class MissionMembershipInline(admin.TabularInline):
    model = MissionMembership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    list_display = ("acronym", "name", "country", "presence_type")
    list_filter = ("presence_type",)
    search_fields = ("acronym", "name", "country")
    inlines = (MissionEntityInline, MissionMembershipInline)


@admin.register(MissionMembership)
class MissionMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "mission", "role")
    list_filter = ("role", "mission")
    autocomplete_fields = ("user", "mission")
