"""The personal data the built-in apps hold (core.holdings): registered when Django starts.
Order matters for scrubbing: files and payloads first, the customer row last."""

from supportdesk.core.holdings import register


def register_builtin() -> None:
    from supportdesk.privacy.holdings.attachments import AttachmentsHolding
    from supportdesk.privacy.holdings.exports import ExportsHolding
    from supportdesk.privacy.holdings.mail import InboundMailHolding
    from supportdesk.privacy.holdings.notifications import EmailLogHolding, WebhookHolding
    from supportdesk.privacy.holdings.tickets import CustomerHolding, TicketsHolding

    for holding in (
        AttachmentsHolding(),
        WebhookHolding(),
        EmailLogHolding(),
        InboundMailHolding(),
        ExportsHolding(),
        TicketsHolding(),
        CustomerHolding(),
    ):
        register(holding)
