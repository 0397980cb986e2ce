from django.conf import settings
from django.db import models


class Person(models.Model):
    """What the provider says about a user beyond Django's fields, and how it misbehaves."""

    class Misbehaviour(models.TextChoices):
        NONE = ""
        EXPIRED = "expired"  # ID tokens that expired ten minutes before they were issued
        ALTERED = "altered"  # ID tokens whose claims are changed after signing
        AUDIENCE = "audience"  # ID tokens issued to another client

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    claims = models.JSONField(default=dict)
    misbehaviour = models.CharField(max_length=10, blank=True, choices=Misbehaviour.choices)

    def __str__(self) -> str:
        return self.user.username
