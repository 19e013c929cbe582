"""/metrics figures of the attachments (registered by supportdesk.dashboards.metrics)."""

from collections.abc import Iterator

from prometheus_client.core import GaugeMetricFamily, Metric

from supportdesk.attachments.selectors import stored_bytes


class AttachmentCollector:
    """Stored attachments and their bytes (thumbnails not counted), read at scrape time."""

    def collect(self) -> Iterator[Metric]:
        count, size = stored_bytes()
        yield GaugeMetricFamily(
            "supportdesk_attachments_stored", "Attachments held in storage.", value=count
        )
        yield GaugeMetricFamily(
            "supportdesk_attachments_stored_bytes",
            "Bytes of the attachments held in storage.",
            value=size,
        )
