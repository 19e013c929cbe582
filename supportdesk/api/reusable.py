"""Input serializers validated through one instance per thread.

A new DRF serializer deep-copies every declared field (and its validators) before it can
validate anything: for the ticket intake, with its nested customer, that copy cost more than
the validation itself. `run_validation` keeps no state on the serializer (it returns the
validated data or raises), so a thread can reuse one instance: the values, the errors and
their translation (messages are formatted when raised, in the request's language) are those
of a fresh instance. Only for input serializers that need no context.
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar, TypeVar

from rest_framework import serializers

T = TypeVar("T")


class ReusableInputSerializer(serializers.Serializer[T]):
    _per_thread: ClassVar[threading.local]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._per_thread = threading.local()

    @classmethod
    def validated(cls, data: Any) -> dict[str, Any]:
        """`data` validated, or ValidationError with the usual `{"field": [...]}` detail."""
        instance: ReusableInputSerializer[T] | None = getattr(cls._per_thread, "instance", None)
        if instance is None:
            instance = cls._per_thread.instance = cls()
        validated: dict[str, Any] = instance.run_validation(data)
        return validated
