"""API answers in every enabled ticket language Django and DRF ship a catalog for.

`LocaleMiddleware` picks from LANGUAGES (the languages the admin is translated into). For
`/api/` requests this middleware, right after it, walks the `Accept-Language` list once more:
the first tag that is either one of those or an enabled ticket language with a Django/DRF
catalog (ja, zh-Hans, ru, …) is activated, so DRF's own messages ("Not found.", "JSON parse
error") answer in it, and so do the API's own (locale_api/, README "Languages"); the domain's
messages fall back to English there.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from supportdesk.languages.selectors import enabled_tags

API_PREFIX = "/api/"


def api_language(accept: str, *, enabled: list[str]) -> str | None:
    """The language to answer in, or None to keep LocaleMiddleware's choice."""
    interface = {code.lower() for code, _name in settings.LANGUAGES}
    wanted = {tag.lower() for tag in enabled}
    for given, _quality in parse_accept_lang_header(accept):
        code = given.lower()
        if code == "*":
            return None
        if code in interface or code.split("-")[0] in interface:
            return None  # LocaleMiddleware has chosen it already
        for candidate in (code, code.split("-")[0]):  # ru-RU → ru
            if candidate in wanted and translation.check_for_language(candidate):
                return candidate
    return None


class ApiLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        accept = request.headers.get("Accept-Language", "")
        if request.path.startswith(API_PREFIX) and accept:
            chosen = api_language(accept[:512], enabled=enabled_tags())
            if chosen is not None:
                translation.activate(chosen)
                request.LANGUAGE_CODE = chosen
        return self.get_response(request)
