"""State changes of tickets. Each service owns its transaction and writes its events."""

from supportdesk.tickets.services.files import message_add_with_files as message_add_with_files
from supportdesk.tickets.services.files import ticket_create_with_files as ticket_create_with_files
from supportdesk.tickets.services.files import ticket_reply_with_files as ticket_reply_with_files
from supportdesk.tickets.services.intake import MIN_DETECTION_CONFIDENCE as MIN_DETECTION_CONFIDENCE
from supportdesk.tickets.services.intake import ticket_create as ticket_create
from supportdesk.tickets.services.intake import ticket_language as ticket_language
from supportdesk.tickets.services.lifecycle import TicketChanges as TicketChanges
from supportdesk.tickets.services.staff import ticket_assign_manual as ticket_assign_manual
from supportdesk.tickets.services.staff import ticket_change as ticket_change
from supportdesk.tickets.services.staff import ticket_set_priority as ticket_set_priority
from supportdesk.tickets.services.staff import ticket_set_status as ticket_set_status
from supportdesk.tickets.services.thread import message_add as message_add
from supportdesk.tickets.services.thread import system_note_add as system_note_add
from supportdesk.tickets.services.thread import ticket_reply as ticket_reply
