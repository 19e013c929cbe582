"""Inbound e-mail state changes: a message read from a mailbox lands on a ticket."""

from supportdesk.mail.services.fetch import FetchResult as FetchResult
from supportdesk.mail.services.fetch import imap_connection_problem as imap_connection_problem
from supportdesk.mail.services.fetch import mailbox_fetch as mailbox_fetch
from supportdesk.mail.services.fetch import mailboxes_to_fetch as mailboxes_to_fetch
from supportdesk.mail.services.receive import Received as Received
from supportdesk.mail.services.receive import mail_receive as mail_receive
