"""The tickets app in the admin: the agents' workspace (ticket.py) and read-only views of
customers, messages and events (other.py). Importing the modules registers them."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from supportdesk.tickets.admin import other as other
from supportdesk.tickets.admin import ticket as ticket

admin.site.site_header = _("supportdesk")
admin.site.site_title = _("supportdesk")
admin.site.index_title = _("Workspace")
