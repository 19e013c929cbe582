"""`RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` on every answer of a throttled
endpoint (the IETF "RateLimit header fields for HTTP" names), 429s included (which also carry
`Retry-After`): the requests a window passes, those left in it for the caller, and the whole
seconds until it closes. The throttle (`supportdesk.api.throttling`) leaves its tally on the
request; answers given before it counted (a bad key's 401) carry none.

With Redis, `RateLimit-Remaining` is what this process knows: the window's count when it last
took a lease, plus that lease's unspent requests (other processes' use since is not seen)."""

import math
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from supportdesk.api.throttling import TALLY_ATTRIBUTE, Tally

LIMIT, REMAINING, RESET = "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"


class RateLimitHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        tally: Tally | None = getattr(request, TALLY_ATTRIBUTE, None)
        if tally is not None:
            response.headers[LIMIT] = str(tally.limit)
            response.headers[REMAINING] = str(tally.remaining)
            response.headers[RESET] = str(max(1, math.ceil(tally.reset)))
        return response
