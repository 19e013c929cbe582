"""Compile locale/*/LC_MESSAGES/django.po and locale_api/*/… (the API's own messages) to .mo
with Babel (pure Python: no GNU gettext needed on the machine). Fuzzy entries are left out, as
msgfmt does."""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    count = 0
    found = [*(ROOT / "locale").glob("*/LC_MESSAGES/*.po")]
    found += (ROOT / "locale_api").glob("*/LC_MESSAGES/*.po")
    for po_path in sorted(found):
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parts[-3])
        with po_path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        count += 1
    sys.stdout.write(f"compiled {count} catalogs\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
