"""Per-agent preferences for every page outside the API: the admin in the agent's UI language,
dates in the agent's time zone; and every such page counts as a heartbeat (`agent_seen`).

Runs after `AuthenticationMiddleware`. `LocaleMiddleware` (earlier in the chain) has already
activated the `Accept-Language` language; an authenticated staff user with an agent profile
and a `ui_language` overrides it. The API keeps speaking the `Accept-Language` language (DESIGN
§6), so `/api/` requests are left alone.
"""

from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from supportdesk.agents.models import Agent
from supportdesk.agents.services import agent_seen

API_PREFIX = "/api/"


def _supported_language(code: str) -> str | None:
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


class AgentPreferencesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        agent = self._agent(request)
        request.agent = agent  # type: ignore[attr-defined]  # read by the admin's base_site.html
        if agent is not None:
            self._activate(request, agent)
            agent_seen(agent=agent)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    @staticmethod
    def _agent(request: HttpRequest) -> Agent | None:
        if request.path_info.startswith(API_PREFIX):
            return None
        user = request.user
        if not (user.is_authenticated and user.is_staff):
            return None
        try:
            return Agent.objects.get(user_id=user.pk)
        except Agent.DoesNotExist:
            return None

    @staticmethod
    def _activate(request: HttpRequest, agent: Agent) -> None:
        language = _supported_language(agent.ui_language) if agent.ui_language else None
        if language is not None:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        zone = _zone(agent.timezone)
        if zone is not None:
            timezone.activate(zone)
