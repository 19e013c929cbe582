"""A received file written to its path on the file system, past the page cache (ADR 0018).

An upload is written once and read seldom (a download, a thumbnail). Written through the
page cache, each megabyte costs the web worker a copy into freshly allocated cache pages
(2-2.5 ms of system time per MB on the benchmark VM when those pages are new to the guest,
against ~0.3 ms with `O_DIRECT`), and it pushes pages other work reads (PostgreSQL's) out of
the cache. So the bytes are gathered in a page-aligned, per-thread buffer of 256 KB; a file
that fills it is switched to `O_DIRECT` (where the file system allows it) and written in
whole blocks straight to the device, its last, partial block padded and the file then cut to
its size (`ftruncate`). A smaller file is written once, the ordinary way: for a few
kilobytes, a synchronous write to the device costs more than the page cache.

A file system without `O_DIRECT` (or one that refuses the alignment) gets ordinary writes of
the same bytes: slower, same result.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import mmap
import os
import threading

ALIGN = 4096  # a multiple of every block device's logical block size in use
BUFFER_BYTES = 256 * 1024  # one write to the device; a multiple of ALIGN
_O_DIRECT = getattr(os, "O_DIRECT", 0)
_made_directories: set[str] = set()  # per process: a day's folder is made once
_local = threading.local()


def _buffer() -> memoryview:
    """This thread's write buffer (page-aligned: an anonymous mapping), reused."""
    buffer: memoryview | None = getattr(_local, "buffer", None)
    if buffer is None:
        buffer = _local.buffer = memoryview(mmap.mmap(-1, BUFFER_BYTES))
    return buffer


class PathSink:
    """Writes one file at `path` (created exclusively, `mode` applied when given)."""

    def __init__(self, path: str, *, mode: int | None, directory_mode: int | None) -> None:
        directory = os.path.dirname(path)
        if directory not in _made_directories:
            os.makedirs(directory, mode=directory_mode or 0o777, exist_ok=True)
            _made_directories.add(directory)
        self.path, self.mode = path, mode
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        self.view = _buffer()
        self.direct = False  # switched on when the buffer first fills
        self.flushed = False
        self.filled = 0  # bytes gathered in the buffer, not yet written
        self.size = 0

    def write(self, data: bytes | memoryview) -> None:
        self.size += len(data)
        view, data = self.view, memoryview(data)
        while data:
            room = BUFFER_BYTES - self.filled
            taken = data[:room]
            view[self.filled : self.filled + len(taken)] = taken
            self.filled += len(taken)
            data = data[room:]
            if self.filled == BUFFER_BYTES:
                if not self.flushed:
                    self.direct = _direct(self.fd)
                self._flush(view)

    def _flush(self, block: memoryview) -> None:
        """Write `block` (the buffer's start; a multiple of ALIGN long when direct)."""
        written = 0
        while written < len(block):
            try:
                written += os.write(self.fd, block[written:])
            except OSError as exc:
                if exc.errno != errno.EINVAL or not self.direct:
                    raise
                # the device refused the alignment after all (a refused write writes
                # nothing): ordinary writes from here
                flags = fcntl.fcntl(self.fd, fcntl.F_GETFL)
                fcntl.fcntl(self.fd, fcntl.F_SETFL, flags & ~_O_DIRECT)
                self.direct = False
        self.filled, self.flushed = 0, True

    def finish(self) -> None:
        try:
            tail = self.filled
            if tail and self.direct:  # the last block padded, then the file cut to its size
                padded = -(-tail // ALIGN) * ALIGN
                self.view[tail:padded] = bytes(padded - tail)
                self._flush(self.view[:padded])
                os.ftruncate(self.fd, self.size)
            elif tail:
                self._flush(self.view[:tail])
        finally:
            self._close()
        if self.mode is not None:
            os.chmod(self.path, self.mode)

    def discard(self) -> None:
        self._close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)

    def _close(self) -> None:
        if self.fd >= 0:
            fd, self.fd = self.fd, -1
            os.close(fd)


def _direct(fd: int) -> bool:
    """Switch `fd` to O_DIRECT when its file system allows it (an open file may be switched:
    a file system without it refuses with EINVAL, and the file stays as it was)."""
    if not _O_DIRECT:
        return False
    try:
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | _O_DIRECT)
    except OSError:
        return False
    return True
