"""Inbound e-mail state changes: a message read from a mailbox lands on a ticket."""

from supportdesk.mail.services.receive import Received as Received
from supportdesk.mail.services.receive import mail_receive as mail_receive
