"""Strict input: a string field takes JSON strings only (DRF's CharField would turn `123` into
"123"), and fields the server sets are refused with a message instead of silently dropped."""

from collections.abc import Mapping
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

SERVER_SET = _("This field is set by the server and cannot be given here.")


class StrictCharField(serializers.CharField):
    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class RefusesServerFields(serializers.Serializer[Any]):
    """Input serializers list the representation's server-set fields in `server_fields`."""

    server_fields: ClassVar[tuple[str, ...]] = ()

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            given = [name for name in self.server_fields if name in data]
            if given:
                raise serializers.ValidationError({name: [str(SERVER_SET)] for name in given})
        return super().to_internal_value(data)
