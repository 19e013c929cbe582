"""The customer beside the ticket: who they are in the reader's words (locale and country
named by CLDR, the time now on their clock) and their other tickets this staff user may see."""

from dataclasses import dataclass

from django.db.models import QuerySet

from supportdesk.languages.formatting import country_name, locale_name, time_in_zone
from supportdesk.tickets.models import Ticket

OTHER_TICKETS_SHOWN = 20


@dataclass(frozen=True, slots=True)
class CustomerCard:
    locale: str  # "Portuguese (Brazil) (pt_BR)" in the reader's language
    country: str  # "Brazil (BR)"
    timezone: str  # the IANA name as given
    local_time: str  # "14:05" on the customer's clock, "" when the zone is unknown
    tickets: int  # all of the customer's tickets this user may see, this one included
    others: list[Ticket]  # newest first, at most OTHER_TICKETS_SHOWN


def customer_card(*, ticket: Ticket, visible: QuerySet[Ticket]) -> CustomerCard:
    """`visible` is the user's ticket scope (`tickets_for_workspace`): a customer's ticket in a
    language the agent does not work in is neither listed nor counted."""
    customer = ticket.customer
    theirs = visible.filter(customer_id=customer.pk)
    others = list(
        theirs.exclude(pk=ticket.pk)
        .select_related("assignee__user")
        .order_by("-created_at", "-id")[:OTHER_TICKETS_SHOWN]
    )
    return CustomerCard(
        locale=locale_name(customer.locale),
        country=country_name(customer.country),
        timezone=customer.timezone,
        local_time=time_in_zone(customer.timezone),
        tickets=theirs.count(),
        others=others,
    )
