from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketStatus(models.TextChoices):
    NEW = "new", _("new")
    OPEN = "open", _("open")
    PENDING = "pending", _("pending")
    SOLVED = "solved", _("solved")
    CLOSED = "closed", _("closed")


class Priority(models.IntegerChoices):
    """Stored as a number so that SQL orders the queue (urgent first); the API speaks names."""

    LOW = 1, _("low")
    NORMAL = 2, _("normal")
    HIGH = 3, _("high")
    URGENT = 4, _("urgent")

    @property
    def api_name(self) -> str:
        return self.name.lower()

    @classmethod
    def from_api_name(cls, name: str) -> "Priority":
        return cls[name.upper()]


class LanguageSource(models.TextChoices):
    EXPLICIT = "explicit", _("given with the ticket")
    CUSTOMER = "customer", _("customer's locale")
    HEADER = "header", _("Accept-Language header")
    DETECTED = "detected", _("detected from the text")
    DEFAULT = "default", _("default language")


class Channel(models.TextChoices):
    API = "api", _("API")
    WEB = "web", _("web form")
    EMAIL = "email", _("e-mail")
    CHAT = "chat", _("chat")
    PHONE = "phone", _("phone")


class AuthorKind(models.TextChoices):
    CUSTOMER = "customer", _("customer")
    AGENT = "agent", _("agent")
    SYSTEM = "system", _("system")


class MatchRank(models.IntegerChoices):
    """How well the first agent routing gave a ticket matched its language (routing.policy.Rank):
    the hub's native-language service figure counts these."""

    EXACT = 0, _("exact language")
    SAME_BASE = 1, _("same primary language")
    FALLBACK = 2, _("fallback language")

    @property
    def api_name(self) -> str:
        return self.name.lower()


class EventKind(models.TextChoices):
    CREATED = "created", _("created")
    LANGUAGE_SET = "language_set", _("language set")
    ASSIGNED = "assigned", _("assigned")
    UNASSIGNED = "unassigned", _("unassigned")
    STATUS_CHANGED = "status_changed", _("status changed")
    PRIORITY_CHANGED = "priority_changed", _("priority changed")
    REPLIED = "replied", _("replied")
    SLA_BREACHED = "sla_breached", _("SLA breached")
    ESCALATED = "escalated", _("escalated")
    MACRO_APPLIED = "macro_applied", _("macro applied")
