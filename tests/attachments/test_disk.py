"""A received file written to its path past the page cache (supportdesk.attachments.disk):
whatever the pieces it arrives in, the file on disk holds exactly its bytes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from supportdesk.attachments import disk
from supportdesk.attachments.disk import ALIGN, BUFFER_BYTES, PathSink

SIZES = [1, ALIGN - 1, ALIGN, ALIGN + 1, BUFFER_BYTES - 1, BUFFER_BYTES, BUFFER_BYTES + 1]
SIZES += [3 * BUFFER_BYTES + 7, 1024 * 1024]


def _content(size: int) -> bytes:
    return bytes((n * 7 + n // 4093) % 251 for n in range(size))


def _write(path: Path, content: bytes, pieces: list[int]) -> PathSink:
    sink = PathSink(str(path), mode=0o640, directory_mode=None)
    offset, turn = 0, 0
    while offset < len(content):
        step = pieces[turn % len(pieces)]
        sink.write(
            memoryview(content)[offset : offset + step]
            if turn % 2
            else content[offset : offset + step]
        )
        offset, turn = offset + step, turn + 1
    sink.finish()
    return sink


@pytest.mark.parametrize("size", SIZES)
def test_a_file_fed_in_uneven_pieces_is_stored_byte_for_byte(tmp_path: Path, size: int) -> None:
    # given the bytes of a file, arriving in pieces that are not multiples of a block
    content = _content(size)
    path = tmp_path / "attachments" / "2026" / "03" / "02" / f"file-{size}"
    # when
    _write(path, content, pieces=[65_536 + 13, 1, 262_144, 4_000])
    # then the file holds exactly those bytes, no padding, with the storage's mode
    assert path.read_bytes() == content
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_file_past_one_buffer_goes_past_the_page_cache_a_small_one_does_not(
    tmp_path: Path,
) -> None:
    # given a file system that takes O_DIRECT (the test's temporary folder, on disk)
    probe = os.open(tmp_path / "probe", os.O_WRONLY | os.O_CREAT | os.O_DIRECT, 0o600)
    os.close(probe)
    content = _content(BUFFER_BYTES + 1)
    # when a file larger than the buffer and a small one are written
    large = _write(tmp_path / "large", content, pieces=[100_000])
    small = _write(tmp_path / "small", b"%PDF-1.4\n", pieces=[9])
    # then the large one went past the page cache, the small one the ordinary way, both whole
    assert (large.direct, small.direct) == (True, False)
    assert (tmp_path / "large").read_bytes() == content
    assert (tmp_path / "small").read_bytes() == b"%PDF-1.4\n"


def test_without_o_direct_the_same_bytes_are_written_the_ordinary_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a platform without O_DIRECT
    monkeypatch.setattr(disk, "_O_DIRECT", 0)
    content = _content(BUFFER_BYTES + 5)
    # when
    sink = _write(tmp_path / "plain", content, pieces=[10_000])
    # then
    assert not sink.direct
    assert (tmp_path / "plain").read_bytes() == content


def test_a_discarded_file_is_gone(tmp_path: Path) -> None:
    sink = PathSink(str(tmp_path / "gone"), mode=None, directory_mode=None)
    sink.write(_content(ALIGN * 3 + 1))
    sink.discard()
    assert not (tmp_path / "gone").exists()


def test_a_second_file_of_the_same_thread_does_not_inherit_the_first_ones_bytes(
    tmp_path: Path,
) -> None:
    # given a file left part-written in this thread's buffer (its request failed)
    first = PathSink(str(tmp_path / "first"), mode=None, directory_mode=None)
    first.write(b"A" * 5000)
    first.discard()
    # when the next file of the thread is written
    _write(tmp_path / "second", b"B" * 10, pieces=[10])
    # then
    assert (tmp_path / "second").read_bytes() == b"B" * 10
