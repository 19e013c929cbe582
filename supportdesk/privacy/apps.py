from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "supportdesk.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from supportdesk.privacy.holdings import register_builtin

        register_builtin()
