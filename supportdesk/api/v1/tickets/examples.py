"""OpenAPI examples for the ticket endpoints."""

from drf_spectacular.utils import OpenApiExample

TICKET_ID = "3f2c9a1e-8d4b-4f6a-9c3e-2b1d7e5a9f10"

TICKET_VALUE = {
    "id": TICKET_ID,
    "reference": "SD-10342",
    "subject": "Mijn bestelling is niet aangekomen",
    "status": "open",
    "priority": "normal",
    "language": "nl",
    "language_source": "customer",
    "language_confidence": None,
    "channel": "api",
    "customer": {
        "email": "sanne@example.nl",
        "name": "Sanne de Vries",
        "locale": "nl-NL",
        "country": "NL",
        "timezone": "Europe/Amsterdam",
    },
    "assignee": {"id": 17, "name": "Anna Jansen"},
    "tags": ["delivery"],
    "external_id": "order-88213",
    "created_at": "2026-03-02T09:00:00Z",
    "updated_at": "2026-03-02T09:00:02Z",
    "assigned_at": "2026-03-02T09:00:02Z",
    "first_response_at": None,
    "solved_at": None,
    "first_response_due_at": "2026-03-02T13:00:00Z",
    "resolution_due_at": "2026-03-04T09:00:00Z",
}

TICKET = OpenApiExample("A ticket", value=TICKET_VALUE, response_only=True)

TICKET_PAGE = OpenApiExample(  # drf-spectacular wraps it in the page envelope
    "A page of tickets", value=TICKET_VALUE, response_only=True
)

TICKET_CREATE = OpenApiExample(
    "A new ticket",
    value={
        "subject": "Mijn bestelling is niet aangekomen",
        "body": "Ik heb vorige week besteld en nog niets ontvangen.",
        "customer": {
            "email": "sanne@example.nl",
            "name": "Sanne de Vries",
            "locale": "nl-NL",
            "country": "NL",
            "timezone": "Europe/Amsterdam",
        },
        "priority": "normal",
        "tags": ["delivery"],
        "external_id": "order-88213",
    },
    request_only=True,
)

TICKET_UPDATE = OpenApiExample(
    "Assign and raise priority", value={"assignee": 17, "priority": "high"}, request_only=True
)
