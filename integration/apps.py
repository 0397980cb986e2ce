from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationConfig(AppConfig):
    name = "integration"
    verbose_name = _("Decision core")

    def ready(self) -> None:
        from integration import audit, checks  # noqa: F401  (signal receivers, deploy checks)
        from integration.api import tokens  # noqa: F401  (the token cache's signal receivers)
