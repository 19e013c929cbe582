"""Domain errors: raised by services, turned into HTTP answers by `supportdesk.api.exceptions`."""

from django.utils.functional import Promise


class DomainError(Exception):
    """A business rule said no. `message` is lazy so it renders in the caller's language."""

    code = "domain-error"

    def __init__(self, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class NotFound(DomainError):
    code = "not-found"


class NotAllowed(DomainError):
    """The caller may see the thing but not do this to it (a 403)."""

    code = "not-allowed"


class Conflict(DomainError):
    code = "conflict"


class InvalidInput(DomainError):
    code = "invalid"


class InvalidTransition(DomainError):
    code = "invalid-transition"


class TooLarge(DomainError):
    """A file or a set of files above a configured limit (HTTP 413)."""

    code = "too-large"


class UnsupportedType(DomainError):
    """Content of a kind the service does not accept (HTTP 415)."""

    code = "unsupported-type"
