"""Every catalog under locale/ is complete: each string of ours translated, none fuzzy, the
same placeholders as the source, and no string of the current source missing from it."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ["nl", "de", "fr", "es", "it", "pt_BR", "pl", "sv", "da", "nb", "fi", "tr", "ar"]
PLACEHOLDER = re.compile(
    r"\{[a-z_][a-z0-9_]*\}|%\([a-z_][a-z0-9_]*\)[-+ #0]*\d*(?:\.\d+)?[sdfir]|%[sd]"
)


def catalog(root: Path, language: str) -> Catalog:
    with (root / "locale" / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
        return read_po(handle, locale=language)


def msgids(cat: Catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in cat if m.id}


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def problems_of(message: Message) -> list[str]:
    ids = [message.id] if isinstance(message.id, str) else list(message.id)
    strings = [message.string] if isinstance(message.string, str) else list(message.string)
    found = []
    if message.fuzzy:
        found.append("fuzzy")
    if not all(strings):
        found.append("untranslated")
    expected = placeholders(ids[-1]) | placeholders(ids[0])
    found.extend(
        f"placeholders {sorted(placeholders(text))} != {sorted(expected)}"
        for text in filter(None, strings)
        if placeholders(text) - expected
        or (len(strings) == 1 and placeholders(text) != placeholders(ids[0]))
    )
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_with_the_same_placeholders(language: str) -> None:
    cat = catalog(ROOT, language)
    assert len(msgids(cat)) > 100
    bad = {m.id: problems_of(m) for m in cat if m.id and problems_of(m)}
    assert bad == {}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The catalogs as `makemessages` would write them from the current source."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext (xgettext) is needed to extract strings: apt-get install gettext")
    copy = tmp_path_factory.mktemp("i18n") / "project"
    copy.mkdir()
    for name in ("supportdesk", "config", "templates", "locale"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--all", "--no-obsolete", "-v", "0"],
        cwd=copy,
        check=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin", "SECRET_KEY": "extract"},
    )
    return copy


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_string_of_the_source_is_missing_from_the_catalog(
    language: str, regenerated: Path
) -> None:
    missing = msgids(catalog(regenerated, language)) - msgids(catalog(ROOT, language))
    assert missing == set()
