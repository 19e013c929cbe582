"""The API's own catalogs (locale_api/): one for every seeded ticket language that has no full
catalog under locale/ but a Django catalog, each holding exactly the messages of supportdesk/api,
all translated with the source's placeholders."""

import importlib.util
from pathlib import Path

import django
import pytest
from babel.messages.catalog import Catalog
from django.utils.translation import to_locale

from supportdesk.languages.seeding import language_seeds
from tests.i18n.test_catalogs import LANGUAGES, msgids, problems_of

ROOT = Path(__file__).resolve().parents[2]
DJANGO_CATALOGS = Path(django.__file__).parent / "conf" / "locale"
_spec = importlib.util.spec_from_file_location("api_catalogs", ROOT / "scripts" / "api_catalogs.py")
assert _spec is not None
assert _spec.loader is not None
api_catalogs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(api_catalogs)
API_LANGUAGES = api_catalogs.languages()


def _catalog_name(tag: str) -> str | None:
    """The catalog a tag answers from: its own locale or its language's, if Django has one."""
    for name in (to_locale(tag), to_locale(tag).split("_")[0]):
        if (DJANGO_CATALOGS / name / "LC_MESSAGES" / "django.po").exists():
            return name
    return None


def test_every_enabled_language_with_a_django_catalog_has_one() -> None:
    covered = {*LANGUAGES, "en"}  # full catalogs under locale/ (pt_BR, not pt-PT's pt)
    wanted = {
        name
        for entry in language_seeds()
        if not {to_locale(entry["tag"]), to_locale(entry["tag"]).split("_")[0]} & covered
        and (name := _catalog_name(entry["tag"])) is not None
    }
    assert {"ja", "zh_Hans", "zh_Hant", "ru", "ko"} <= wanted
    assert set(API_LANGUAGES) == wanted


@pytest.fixture(scope="module")
def source() -> set[str]:
    return msgids(api_catalogs.source_messages())


@pytest.mark.parametrize("language", API_LANGUAGES)
def test_each_holds_every_api_message_translated(language: str, source: set[str]) -> None:
    catalog: Catalog = api_catalogs.read(language)

    assert msgids(catalog) == source  # `make catalogs` adds new ones, then translate them
    assert {m.id: problems_of(m) for m in catalog if m.id and problems_of(m)} == {}
    assert not catalog.fuzzy
