"""The calling agent's own routing state. Agents set only their status here; capacity and
skills are managers' business (admin, `create_agent`) and read-only in this API."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from supportdesk.agents.models import Agent
from supportdesk.agents.services import agent_seen, agent_set_status
from supportdesk.api.permissions import IsAgent
from supportdesk.api.schema import errors
from supportdesk.api.v1.agents.serializers import AgentMeSerializer, AgentStatusInputSerializer

AGENT_EXAMPLE = OpenApiExample(
    "An agent",
    value={
        "id": 17,
        "name": "Anna Jansen",
        "status": "online",
        "capacity": 5,
        "load": 2,
        "skills": [
            {"language": "nl", "proficiency": "native"},
            {"language": "en", "proficiency": "fluent"},
        ],
    },
    response_only=True,
)


class AgentMeView(GenericAPIView[Agent]):
    permission_classes = (IsAgent,)
    serializer_class = AgentMeSerializer

    def get_object(self) -> Agent:
        agent: Agent = self.request.user.agent  # type: ignore[union-attr]  # IsAgent checked
        return agent

    @extend_schema(
        summary="My status, capacity, load and skills",
        description=(
            "Also a heartbeat: an agent stays available for routing while it calls this (or "
            "works in the admin) at least every AGENT_TTL_SECONDS."
        ),
        responses={200: AgentMeSerializer, **errors(401, 403)},
        examples=[AGENT_EXAMPLE],
    )
    def get(self, request: Request) -> Response:
        agent = self.get_object()
        agent_seen(agent=agent)  # an agent app polling this stays available
        return Response(self.get_serializer(agent).data)

    @extend_schema(
        summary="Set my status",
        description=(
            "Partial: `status` (`online`, `away` or `offline`; anything else is a 400) is the "
            "one field an agent sets; `capacity`, `load`, `skills`, `id` and `name` are "
            "read-only and a 400 naming them when given. Marks me seen now."
        ),
        request=AgentStatusInputSerializer,
        responses={200: AgentMeSerializer, **errors(400, 401, 403, 413, 415)},
        examples=[
            OpenApiExample("Go online", value={"status": "online"}, request_only=True),
            AGENT_EXAMPLE,
        ],
    )
    def patch(self, request: Request) -> Response:
        payload = AgentStatusInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        agent = self.get_object()
        status = payload.validated_data.get("status")
        if status is not None:
            agent = agent_set_status(agent=agent, status=status)
        return Response(self.get_serializer(agent).data)
