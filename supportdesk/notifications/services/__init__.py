"""Notification state changes. Ticket and SLA services call the `ticket_*`/`sla_*` hooks
inside their transaction; e-mails and webhook deliveries leave after commit."""

from supportdesk.notifications.services.customer_emails import email_send as email_send
from supportdesk.notifications.services.customer_emails import email_sweep as email_sweep
from supportdesk.notifications.services.customer_emails import (
    managers_notify as managers_notify,
)
from supportdesk.notifications.services.endpoints import (
    webhook_endpoint_create as webhook_endpoint_create,
)
from supportdesk.notifications.services.endpoints import (
    webhook_endpoint_delete as webhook_endpoint_delete,
)
from supportdesk.notifications.services.endpoints import (
    webhook_endpoint_update as webhook_endpoint_update,
)
from supportdesk.notifications.services.events import customer_erased as customer_erased
from supportdesk.notifications.services.events import sla_breach_notify as sla_breach_notify
from supportdesk.notifications.services.events import ticket_assigned as ticket_assigned
from supportdesk.notifications.services.events import ticket_created as ticket_created
from supportdesk.notifications.services.events import ticket_replied as ticket_replied
from supportdesk.notifications.services.events import ticket_solved as ticket_solved
from supportdesk.notifications.services.events import tickets_assigned as tickets_assigned
from supportdesk.notifications.services.events import webhook_emit as webhook_emit
from supportdesk.notifications.services.events import webhooks_wanted as webhooks_wanted
from supportdesk.notifications.services.outbox import webhook_deliver as webhook_deliver
from supportdesk.notifications.services.outbox import webhook_sweep as webhook_sweep
