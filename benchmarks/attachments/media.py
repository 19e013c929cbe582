"""The benchmark's MEDIA_ROOT, placed so that a run does not pay for the previous run's clean-up.

A run stores 6-8 GB in ~6,000 files and deletes them at the end. On ext4 the next run's files
are created in the same block group (a new folder goes where its parent is), where creating a
file skips the inodes freed in the last minutes and, with the `discard` mount option, new
blocks wait behind the freed ones: measured on the benchmark VM, `open(O_CREAT)` 0.02 → 0.16-
0.56 ms and an `O_DIRECT` megabyte 0.15 → 0.5-1.0 ms of CPU for some minutes after a clean-up.
A hub's storage sees no such mass deletion before its uploads. So each run's folder is made
inside a parent marked "top of a directory hierarchy" (ext4's `FS_TOPDIR_FL`, `chattr +T`),
which makes ext4 spread the folders made in it over the block groups, as it does for the
folders of `/`. Elsewhere (another file system, no permission) the flag is skipped and said so.
"""

from __future__ import annotations

import array
import fcntl
import os
import tempfile

FS_IOC_GETFLAGS = 0x80086601
FS_IOC_SETFLAGS = 0x40086602
FS_TOPDIR_FL = 0x00020000


def _mark_topdir(path: str) -> bool:
    """Set FS_TOPDIR_FL on the folder `path`; False where the file system refuses it."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        flags = array.array("i", [0])
        fcntl.ioctl(fd, FS_IOC_GETFLAGS, flags, True)
        flags[0] |= FS_TOPDIR_FL
        fcntl.ioctl(fd, FS_IOC_SETFLAGS, flags, True)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


def fresh_media_root(parent: str | None) -> tuple[str, bool]:
    """A new, empty folder for this run's files, and whether it was spread (see above)."""
    spread_parent = os.path.join(parent or tempfile.gettempdir(), "sd-bench-attachments")
    os.makedirs(spread_parent, exist_ok=True)
    spread = _mark_topdir(spread_parent)
    return tempfile.mkdtemp(prefix="media-", dir=spread_parent), spread
