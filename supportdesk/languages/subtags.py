"""PURE, standard library only: the primary language subtag, computed once for every layer
(the routing policy may import nothing but the standard library)."""


def primary(tag: str) -> str:
    """The primary language subtag, lower-case: `pt` for `pt-BR`, `zh` for `zh_Hant`."""
    return tag.replace("_", "-").split("-", 1)[0].lower()
