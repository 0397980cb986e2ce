"""factory_boy factories for the domain models."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from assessments.models import Assessment, FunctionAssessment
from integration.engine.vocabulary import FUNCTIONS
from missions.models import Function, Mission, MissionEntity, MissionMembership, UNEntity
from missions.roles import HQ_REVIEWERS_GROUP

PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy's signature
        if create:
            obj.save()


def hq_reviewer_create(**kwargs):
    user = UserFactory(**kwargs)
    group, _ = Group.objects.get_or_create(name=HQ_REVIEWERS_GROUP)
    user.groups.add(group)
    return user


def functions_ensure() -> list[Function]:
    """The 12 catalogue functions (idempotent)."""
    return [
        Function.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "description": spec.description,
                "default_dimensions": list(spec.default_dimensions),
                "position": position,
            },
        )[0]
        for position, spec in enumerate(FUNCTIONS)
    ]


class UNEntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UNEntity
        django_get_or_create = ("acronym",)

    acronym = factory.Sequence(lambda n: f"ENT{n}")
    name = factory.LazyAttribute(lambda o: f"Entity {o.acronym}")
    kind = "fund_programme"
    funding_basis = "voluntary"


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mission
        django_get_or_create = ("acronym",)

    acronym = factory.Sequence(lambda n: f"M{n}")
    name = factory.LazyAttribute(lambda o: f"Mission {o.acronym}")
    country = "Somewhere"
    presence_type = "multidimensional_pko"


class MissionEntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MissionEntity

    mission = factory.SubFactory(MissionFactory)
    entity = factory.SubFactory(UNEntityFactory)
    role = MissionEntity.Role.UNCT_MEMBER


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MissionMembership

    user = factory.SubFactory(UserFactory)
    mission = factory.SubFactory(MissionFactory)
    role = MissionMembership.Role.PLANNER


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    mission = factory.SubFactory(MissionFactory)
    as_of = dt.date(2007, 4, 26)
    presence_type = "multidimensional_pko"
    unct_present = True
    phase = "peacebuilding"
    conflict_level = "low"
    force_posture = "none"
    host_consent = "firm"
    national_capacity = "low"
    hc_triple_hatted = True
    pooled_fund = True
    donors_in_planning = True
    agency_service_agreements = True
    common_services = True
    regional_partner = "none"
    drawdown_within_months = None

    @factory.post_generation
    def functions(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy's signature
        """Every catalogue function, with catalogue dimensions and a desired impact."""
        if not create or extracted is False:
            return
        for function in functions_ensure():
            FunctionAssessment.objects.create(
                assessment=obj,
                function=function,
                dimensions=list(function.default_dimensions),
                desired_impact=f"Desired impact of {function.code}",
            )
