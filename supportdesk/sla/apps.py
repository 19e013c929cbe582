from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "supportdesk.sla"
    label = "sla"
    verbose_name = _("Service levels")
