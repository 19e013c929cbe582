"""How many files a browser form may send, counted while Django's multipart parser reads it.

Django's own limit (DATA_UPLOAD_MAX_NUMBER_FILES) refuses the whole request with
`TooManyFilesSent` before any view runs: the agent who picked twelve files for the reply box
got an error page and lost the reply. So that setting is off (None) and `FileCountHandler`,
first in FILE_UPLOAD_HANDLERS, is the limit instead:

- where the ticket page's reply box is sent (REPLY_BOX_VIEWS: the page itself, and applying a
  macro from it) a file past ATTACHMENT_MAX_FILES is skipped unread (nothing stored, no file
  opened) and counted, so the view refuses the submit with the attachments' own "at most N
  files", as for one file too many (`files_skipped`);
- every other form keeps Django's refusal (`TooManyFilesSent`, a 400) past
  ATTACHMENT_MAX_FILES + 1 files, as before.

The API never gets here: its multipart parser (`supportdesk/api/multipart.py`) counts files
itself and answers JSON.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from django.core.exceptions import TooManyFilesSent
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

from supportdesk.attachments.limits import attachment_limits

REPLY_BOX_VIEWS = frozenset({"admin:tickets_ticket_change", "admin:macros_macro_apply"})

_skipped: WeakKeyDictionary[HttpRequest, int] = WeakKeyDictionary()


class FileCountHandler(FileUploadHandler):
    """Counts the files of one request; passes every byte of the files it keeps on unchanged
    to the next handlers (memory, temporary file)."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.count = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.count += 1
        limit = attachment_limits().max_files
        if self.count <= limit:
            return
        if self.request is not None and _on_the_reply_box(self.request):
            _skipped[self.request] = self.count - limit
            raise SkipFile
        if self.count > limit + 1:
            raise TooManyFilesSent(
                "The number of files exceeded ATTACHMENT_MAX_FILES + 1 (FileCountHandler)."
            )

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile[bytes] | None:
        return None  # the next handler makes the file


def _on_the_reply_box(request: HttpRequest) -> bool:
    """Resolved before any view middleware reads the form (CSRF does, for the admin)."""
    match = request.resolver_match
    return match is not None and match.view_name in REPLY_BOX_VIEWS


def files_skipped(request: HttpRequest) -> int:
    """How many files of this request's form were skipped past the per-message limit (the
    form is parsed now if it was not yet)."""
    _ = request.FILES
    return _skipped.get(request, 0)
