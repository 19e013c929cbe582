"""PURE: which Han script (Hans or Hant) a Chinese text is written in, from its characters.

No character table of our own: the standard library's codecs carry two national charsets that
differ exactly where the scripts differ. GB2312 (mainland China, 1980) encodes the simplified
forms and Big5 (Taiwan, 1984) the traditional ones; a character that only GB2312 can encode is
a simplified form (`们`, `说`, `发`), one that only Big5 can encode is a traditional form (`們`,
`說`, `發`). Characters both encode (`我`, `的`, `人`) tell nothing and are not counted.
"""

from __future__ import annotations

from functools import lru_cache

HANS = "Hans"
HANT = "Hant"
_CJK_UNIFIED = range(0x4E00, 0xA000)


@lru_cache(maxsize=8192)
def _encodable(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def han_script_counts(text: str) -> tuple[int, int]:
    """(simplified-only characters, traditional-only characters) in `text`."""
    simplified = traditional = 0
    for char in text:
        if ord(char) not in _CJK_UNIFIED:
            continue
        in_gb, in_big5 = _encodable(char, "gb2312"), _encodable(char, "big5")
        if in_gb and not in_big5:
            simplified += 1
        elif in_big5 and not in_gb:
            traditional += 1
    return simplified, traditional


def han_script(text: str) -> str | None:
    """`Hans` or `Hant` when the characters say so, None when they do not (a tie, no Han)."""
    simplified, traditional = han_script_counts(text)
    if simplified > traditional:
        return HANS
    if traditional > simplified:
        return HANT
    return None
