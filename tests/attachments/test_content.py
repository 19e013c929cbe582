"""PURE: file names and content types (no database)."""

import pytest

from supportdesk.attachments.content import NameRefused, clean_name, sniff
from tests.attachments import files


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        pytest.param("factuur.pdf", "factuur.pdf", id="plain"),
        pytest.param("C:\\Users\\sanne\\foto.jpg", "foto.jpg", id="windows-path"),
        pytest.param("scans/2026/bon.png", "bon.png", id="posix-path"),
        pytest.param("Cafe\u0301.txt", "Café.txt", id="nfc"),
        pytest.param("  spaced.txt ", "spaced.txt", id="trimmed"),
        pytest.param("x" * 300 + ".pdf", "x" * 251 + ".pdf", id="long-keeps-extension"),
        pytest.param("👩‍💻.png", "👩‍💻.png", id="zero-width-joiner-kept"),
    ],
)
def test_names_are_cleaned(raw: str, clean: str) -> None:
    assert clean_name(raw) == clean


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("../../etc/passwd", id="parent"),
        pytest.param("a\\..\\b.txt", id="windows-parent"),
        pytest.param("bad\x00.pdf", id="nul"),
        pytest.param("line\nbreak.pdf", id="newline"),
        pytest.param("invoice\u202egpj.exe", id="right-to-left-override"),
        pytest.param("lone\ud800.txt", id="surrogate"),
        pytest.param("", id="empty"),
        pytest.param("dir/", id="only-a-directory"),
    ],
)
def test_dangerous_names_are_refused_not_repaired(raw: str) -> None:
    with pytest.raises(NameRefused):
        clean_name(raw)


@pytest.mark.parametrize(
    ("content", "name", "content_type", "allowed"),
    [
        pytest.param(files.png(), "x.bin", "image/png", True, id="png-whatever-the-name"),
        pytest.param(files.jpeg(), "x.jpg", "image/jpeg", True, id="jpeg"),
        pytest.param(files.pdf(), "x.pdf", "application/pdf", True, id="pdf"),
        pytest.param(
            files.docx(),
            "x.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            True,
            id="docx",
        ),
        pytest.param(files.TEXT, "notes.txt", "text/plain", True, id="utf8-text"),
        pytest.param(b"a,b\n1,2\n", "rows.csv", "text/csv", True, id="csv"),
        pytest.param("é".encode() * 5000, "x.txt", "text/plain", True, id="multibyte-cut-at-head"),
        pytest.param(files.HTML, "x.txt", "text/html", False, id="html-named-txt"),
        pytest.param(files.SVG, "x.png", "image/svg+xml", False, id="svg-named-png"),
        pytest.param(b'<?xml version="1.0"?><a/>', "x.txt", "application/xml", False, id="xml"),
        pytest.param(files.EXE, "x.pdf", "application/x-msdownload", False, id="exe-named-pdf"),
        pytest.param(b"\x00\x01\x02binary", "x.txt", "application/octet-stream", False, id="bin"),
        pytest.param(
            b"\xff\xfe\xfa latin", "x.txt", "application/octet-stream", False, id="bad-utf8"
        ),
    ],
)
def test_the_bytes_decide_the_type(
    content: bytes, name: str, content_type: str, allowed: bool
) -> None:
    sniffed = sniff(head=content[:8192], name=name)
    assert (sniffed.content_type, sniffed.allowed) == (content_type, allowed)
