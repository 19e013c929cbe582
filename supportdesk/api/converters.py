"""`/api/v1/tickets/<ticket:id>/`: a ticket's public UUID or its human reference (`SD-10501`)."""

from django.urls import register_converter

UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


class TicketIdConverter:
    regex = rf"{UUID}|[A-Za-z]{{1,10}}-[0-9]{{1,18}}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: object) -> str:
        return str(value)


register_converter(TicketIdConverter, "ticket")
