"""Shapes of the managers' dashboard JSON (read-only, from the dashboards selectors)."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from supportdesk.dashboards.waits import WaitDistribution

# --- query parameters ----------------------------------------------------------------------


class DashboardWindowQuerySerializer(serializers.Serializer[Any]):
    window_hours = serializers.IntegerField(
        min_value=1,
        max_value=168,
        default=24,
        help_text=_("Hours over which medians, p90s and SLA attainment are computed."),
    )


class DashboardStaffingQuerySerializer(serializers.Serializer[Any]):
    target_seconds = serializers.IntegerField(
        min_value=0,
        max_value=7 * 24 * 3600,
        default=60,
        help_text=_("Longest acceptable wait for an agent, in seconds."),
    )
    target_level = serializers.FloatField(
        default=0.8,
        help_text=_("Share of tickets that must wait at most target_seconds (0 < x < 1)."),
    )
    window_hours = serializers.IntegerField(
        min_value=1,
        max_value=24,
        default=1,
        help_text=_("Hours over which the arrival rate is observed."),
    )

    def validate_target_level(self, value: float) -> float:
        if not 0 < value < 1:
            raise serializers.ValidationError(
                _("Must be greater than 0 and less than 1, e.g. 0.8.")
            )
        return value


# --- figures -------------------------------------------------------------------------------


class DashboardWindowStatsFields(serializers.Serializer[Any]):
    median_wait_seconds = serializers.FloatField(
        source="stats.median_wait_seconds",
        allow_null=True,
        help_text=_(
            "Waits of tickets assigned in the window and of tickets still waiting, counted "
            "with their wait so far."
        ),
    )
    p90_wait_seconds = serializers.FloatField(source="stats.p90_wait_seconds", allow_null=True)
    median_first_response_seconds = serializers.FloatField(
        source="stats.median_first_response_seconds", allow_null=True
    )
    p90_first_response_seconds = serializers.FloatField(
        source="stats.p90_first_response_seconds", allow_null=True
    )
    first_response_sla_attainment = serializers.FloatField(
        source="stats.first_response_sla_attainment",
        allow_null=True,
        help_text=_("Share of decided first-response deadlines met, 0 to 1; null: none."),
    )


class DashboardMatchCountsSerializer(serializers.Serializer[Any]):
    exact = serializers.IntegerField()
    same_base = serializers.IntegerField()
    fallback = serializers.IntegerField()
    routed = serializers.IntegerField()
    exact_share = serializers.FloatField(allow_null=True)
    same_base_share = serializers.FloatField(allow_null=True)
    fallback_share = serializers.FloatField(allow_null=True)
    native_share = serializers.FloatField(
        allow_null=True,
        help_text=_("Share served in the customer's language (exact or same base), 0 to 1."),
    )


class DashboardFirstMatchSerializer(serializers.Serializer[Any]):
    last_hour = DashboardMatchCountsSerializer()
    last_24h = DashboardMatchCountsSerializer()


# what a language's queue and the whole hub both show (selectors.LiveFigures)
class DashboardLiveFields(DashboardWindowStatsFields):
    waiting = serializers.IntegerField()
    oldest_wait_seconds = serializers.IntegerField(allow_null=True)
    assigned_open = serializers.IntegerField()
    agents_online = serializers.IntegerField()
    free_capacity = serializers.IntegerField()
    at_risk = serializers.IntegerField()
    breached = serializers.IntegerField()
    arrivals_last_hour = serializers.IntegerField()
    solved_last_hour = serializers.IntegerField()
    first_match = DashboardFirstMatchSerializer(
        help_text=_(
            "Native-language service: how the first agent routing chose matched the language, "
            "over tickets created in the last hour / 24 h that routing has assigned."
        )
    )


class DashboardQueueSerializer(DashboardLiveFields):
    language = serializers.CharField()
    name = serializers.CharField()


class DashboardHubSerializer(DashboardLiveFields):
    capacity_online = serializers.IntegerField()


class DashboardAgentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField()
    available = serializers.BooleanField()
    load = serializers.IntegerField()
    capacity = serializers.IntegerField()
    languages = serializers.ListField(child=serializers.CharField())
    solved_today = serializers.IntegerField()
    median_first_response_seconds = serializers.FloatField(allow_null=True)


class DashboardSlaPointSerializer(serializers.Serializer[Any]):
    hour = serializers.DateTimeField()
    due = serializers.IntegerField()
    met = serializers.IntegerField()
    attainment = serializers.FloatField(allow_null=True)


class DashboardSlaSerializer(serializers.Serializer[Any]):
    at_risk = serializers.IntegerField()
    breached = serializers.IntegerField()
    met = serializers.IntegerField()
    decided = serializers.IntegerField()
    first_response_sla_attainment = serializers.FloatField(allow_null=True)
    trend = DashboardSlaPointSerializer(many=True)


class DashboardFlowSerializer(serializers.Serializer[Any]):
    language = serializers.CharField()
    arrivals = serializers.ListField(child=serializers.IntegerField())
    solved = serializers.ListField(child=serializers.IntegerField())


class DashboardLanguageCountsSerializer(serializers.Serializer[Any]):
    language = serializers.CharField()
    counts = serializers.ListField(child=serializers.IntegerField())


class DashboardWaitDistributionSerializer(serializers.Serializer[Any]):
    bounds = serializers.ListField(
        child=serializers.IntegerField(),
        help_text=_("Upper bounds in seconds; counts has one more, open-ended bucket."),
    )
    total = serializers.ListField(child=serializers.IntegerField())
    languages = serializers.SerializerMethodField()

    @extend_schema_field(DashboardLanguageCountsSerializer(many=True))
    def get_languages(self, distribution: WaitDistribution) -> list[dict[str, object]]:
        return [
            {"language": tag, "counts": list(counts)}
            for tag, counts in sorted(distribution.by_language.items())
        ]


class DashboardTrendsSerializer(serializers.Serializer[Any]):
    hours = serializers.ListField(child=serializers.DateTimeField(), source="flow.hours")
    total = DashboardFlowSerializer(source="flow.total")
    languages = DashboardFlowSerializer(source="flow.by_language", many=True)
    wait_distribution = DashboardWaitDistributionSerializer()


class DashboardStaffingSerializer(serializers.Serializer[Any]):
    language = serializers.CharField()
    name = serializers.CharField()
    arrivals_per_hour = serializers.FloatField()
    mean_handle_seconds = serializers.FloatField(allow_null=True)
    capacity_per_agent = serializers.FloatField()
    agents_online = serializers.IntegerField()
    slots_online = serializers.IntegerField()
    service_level_now = serializers.FloatField(allow_null=True)
    traffic_erlangs = serializers.FloatField(source="needed.traffic_erlangs", allow_null=True)
    slots_needed = serializers.IntegerField(source="needed.servers", allow_null=True)
    agents_needed = serializers.IntegerField(allow_null=True)
    service_level = serializers.FloatField(source="needed.service_level", allow_null=True)
    probability_wait = serializers.FloatField(source="needed.probability_wait", allow_null=True)
    average_speed_of_answer_seconds = serializers.FloatField(
        source="needed.average_speed_of_answer_seconds", allow_null=True
    )
    occupancy = serializers.FloatField(source="needed.occupancy", allow_null=True)
