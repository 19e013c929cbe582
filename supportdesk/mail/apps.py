from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    name = "supportdesk.mail"
    label = "mail"
    verbose_name = _("Inbound e-mail")

    def ready(self) -> None:
        from supportdesk.mail import receivers  # noqa: F401 - connects anymail's inbound signal
