"""Attachment state changes. Other apps use these (and `selectors`), never the storage."""

from supportdesk.attachments.receiving import ReceivedFile as ReceivedFile
from supportdesk.attachments.refusals import name_refused as name_refused
from supportdesk.attachments.services.checks import CheckedFile as CheckedFile
from supportdesk.attachments.services.checks import IncomingFile as IncomingFile
from supportdesk.attachments.services.checks import ReadyFile as ReadyFile
from supportdesk.attachments.services.checks import file_check as file_check
from supportdesk.attachments.services.checks import files_check as files_check
from supportdesk.attachments.services.checks import incoming_files as incoming_files
from supportdesk.attachments.services.lifecycle import (
    attachments_delete_for_ticket as attachments_delete_for_ticket,
)
from supportdesk.attachments.services.lifecycle import (
    attachments_delete_for_tickets as attachments_delete_for_tickets,
)
from supportdesk.attachments.services.lifecycle import (
    attachments_sweep_orphans as attachments_sweep_orphans,
)
from supportdesk.attachments.services.lifecycle import thumbnail_make as thumbnail_make
from supportdesk.attachments.services.store import attachment_add as attachment_add
from supportdesk.attachments.services.store import attachments_staged as attachments_staged
from supportdesk.attachments.services.store import attachments_store as attachments_store
from supportdesk.attachments.services.store import copies_closed as copies_closed
from supportdesk.attachments.services.store import (
    files_removed_on_error as files_removed_on_error,
)
from supportdesk.attachments.services.store import thumbnails_on_commit as thumbnails_on_commit
