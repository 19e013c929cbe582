"""The API's own catalogs (locale_api/): the messages of supportdesk/api (views, serializers,
errors) and of the refusals the API passes on word for word (a refused file, `EXTRA_SOURCES`),
for the enabled ticket languages that have no full catalog under locale/ but for which Django
and DRF ship one (ja, zh_Hans, ru, ...), so an API error answers in them throughout.

`python scripts/api_catalogs.py` brings every locale_api/<lang>/LC_MESSAGES/django.po up to
date with the source: new messages are added untranslated (translate them), messages gone from
the source are dropped, translations kept. `make catalogs` runs it. Uses Babel (no GNU gettext).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "supportdesk" / "api"
# modules outside supportdesk/api whose messages reach API clients as they are
EXTRA_SOURCES = [ROOT / "supportdesk" / "attachments" / "refusals.py"]
CATALOGS = ROOT / "locale_api"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
}


def source_messages() -> Catalog:
    """Every message of supportdesk/api and `EXTRA_SOURCES`, as xgettext would list them."""
    template = Catalog()
    found = extract_from_dir(
        str(SOURCE), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=()
    )
    for _filename, _lineno, message, _comments, context in found:
        template.add(message, context=context)
    for path in EXTRA_SOURCES:
        for _lineno, message, _comments, context in extract_from_file(
            "python", str(path), keywords=KEYWORDS, comment_tags=()
        ):
            template.add(message, context=context)
    return template


def catalog_path(language: str) -> Path:
    return CATALOGS / language / "LC_MESSAGES" / "django.po"


def languages() -> list[str]:
    return sorted(path.parent.parent.name for path in CATALOGS.glob("*/LC_MESSAGES/django.po"))


def read(language: str) -> Catalog:
    with catalog_path(language).open("rb") as handle:
        return read_po(handle, locale=language)


def update(language: str, template: Catalog) -> None:
    catalog = read(language)
    created = catalog.creation_date  # kept: a run with nothing new changes nothing
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.creation_date = catalog.revision_date = created
    catalog.fuzzy = False  # the header: the translations are reviewed, not guessed
    catalog.msgid_bugs_address = "maintainers of supportdesk"
    catalog.last_translator = catalog.language_team = "supportdesk maintainers"
    with catalog_path(language).open("wb") as handle:
        write_po(handle, catalog, width=100, no_location=True, omit_header=False, sort_output=True)


def main() -> int:
    template = source_messages()
    for language in languages():
        update(language, template)
    sys.stdout.write(f"updated {len(languages())} API catalogs ({len(template)} messages)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
