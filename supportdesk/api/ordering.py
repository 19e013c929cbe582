from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.views import APIView


class StableOrderingFilter(OrderingFilter):
    """DRF's `?ordering=`, with the primary key as the last tie-breaker so pages never overlap."""

    def get_ordering(
        self, request: Request, queryset: QuerySet[Any], view: APIView
    ) -> Sequence[str]:
        ordering = list(super().get_ordering(request, queryset, view) or ())
        if not {"id", "-id", "pk", "-pk"} & set(ordering):
            ordering.append("-id")
        return ordering
