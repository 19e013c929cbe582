"""Managers' live figures as JSON (DESIGN §8). Thin: parse the query, call a selector, serialize."""

from datetime import timedelta
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from supportdesk.api.permissions import IsManager
from supportdesk.api.schema import errors
from supportdesk.api.v1.dashboards.serializers import (
    DashboardAgentSerializer,
    DashboardHubSerializer,
    DashboardQueueSerializer,
    DashboardSlaSerializer,
    DashboardStaffingQuerySerializer,
    DashboardStaffingSerializer,
    DashboardTrendsSerializer,
    DashboardWindowQuerySerializer,
)
from supportdesk.dashboards.advice import staffing_advice
from supportdesk.dashboards.agents import agent_figures
from supportdesk.dashboards.selectors import hub_totals, queue_figures
from supportdesk.dashboards.series import hourly_flow, sla_figures
from supportdesk.dashboards.waits import wait_distribution

TAGS = ["dashboard"]


def _window(request: Request) -> timedelta:
    query = DashboardWindowQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return timedelta(hours=query.validated_data["window_hours"])


class DashboardView(APIView):
    permission_classes = (IsManager,)


class QueuesView(DashboardView):
    @extend_schema(
        tags=TAGS,
        parameters=[DashboardWindowQuerySerializer],
        responses={200: DashboardQueueSerializer(many=True), **errors(400, 401, 403)},
        summary="Per-language queue figures",
    )
    def get(self, request: Request) -> Response:
        figures = queue_figures(window=_window(request))
        return Response(DashboardQueueSerializer(figures, many=True).data)


class HubView(DashboardView):
    @extend_schema(
        tags=TAGS,
        parameters=[DashboardWindowQuerySerializer],
        responses={200: DashboardHubSerializer, **errors(400, 401, 403)},
        summary="Hub totals",
    )
    def get(self, request: Request) -> Response:
        window = _window(request)
        totals = hub_totals(queues=queue_figures(window=window), window=window)
        return Response(DashboardHubSerializer(totals).data)


class AgentsView(DashboardView):
    @extend_schema(
        tags=TAGS,
        parameters=[DashboardWindowQuerySerializer],
        responses={200: DashboardAgentSerializer(many=True), **errors(400, 401, 403)},
        summary="Per-agent figures",
    )
    def get(self, request: Request) -> Response:
        figures = agent_figures(window=_window(request))
        return Response(DashboardAgentSerializer(figures, many=True).data)


class SlaView(DashboardView):
    @extend_schema(
        tags=TAGS,
        parameters=[DashboardWindowQuerySerializer],
        responses={200: DashboardSlaSerializer, **errors(400, 401, 403)},
        summary="First-response SLA: at risk, breached, attainment and its hourly trend",
    )
    def get(self, request: Request) -> Response:
        return Response(DashboardSlaSerializer(sla_figures(window=_window(request))).data)


class TrendsView(DashboardView):
    @extend_schema(
        tags=TAGS,
        parameters=[DashboardWindowQuerySerializer],
        responses={200: DashboardTrendsSerializer, **errors(400, 401, 403)},
        summary="Arrivals and solved per hour over 24 h; wait-time distribution",
    )
    def get(self, request: Request) -> Response:
        trends: dict[str, Any] = {
            "flow": hourly_flow(),
            "wait_distribution": wait_distribution(window=_window(request)),
        }
        return Response(DashboardTrendsSerializer(trends).data)


class StaffingView(DashboardView):
    @extend_schema(
        tags=TAGS,
        parameters=[DashboardStaffingQuerySerializer],
        responses={200: DashboardStaffingSerializer(many=True), **errors(400, 401, 403)},
        summary="Agents needed per language (Erlang C, each capacity slot a server)",
    )
    def get(self, request: Request) -> Response:
        query = DashboardStaffingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        advice = staffing_advice(
            target_seconds=query.validated_data["target_seconds"],
            target_level=query.validated_data["target_level"],
            rate_window=timedelta(hours=query.validated_data["window_hours"]),
        )
        return Response(DashboardStaffingSerializer(advice, many=True).data)
