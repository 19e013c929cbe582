"""/metrics figures of inbound e-mail, read from the database at scrape time (registered by
supportdesk.dashboards.metrics), so every worker's messages count."""

from collections.abc import Iterator

from django.db.models import Count
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from supportdesk.mail.models import InboundMessage, Mailbox


class MailCollector:
    def collect(self) -> Iterator[Metric]:
        received = CounterMetricFamily(
            "supportdesk_mail_received",
            "Inbound e-mails landed, by outcome and reason (rate-limited, auto-submitted, …).",
            labels=["outcome", "reason"],
        )
        rows = InboundMessage.objects.values_list("outcome", "reason").annotate(n=Count("id"))
        for outcome, reason, count in rows.order_by():
            received.add_metric([outcome, reason], count)
        yield received
        failing = Mailbox.objects.filter(enabled=True).exclude(last_error="").count()
        yield GaugeMetricFamily(
            "supportdesk_mail_mailboxes_failing",
            "Enabled mailboxes whose last fetch failed.",
            value=failing,
        )
