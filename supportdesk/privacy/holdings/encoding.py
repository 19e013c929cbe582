"""JSON for export files: dates as ISO 8601, UUIDs as strings, UTF-8, stable key order."""

import json

from django.core.serializers.json import DjangoJSONEncoder


def to_json(value: object) -> bytes:
    return json.dumps(
        value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, sort_keys=True
    ).encode()
