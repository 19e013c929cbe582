"""The attachment storage on S3 (django-storages), against moto's S3 server on 127.0.0.1:
what the file-system tests show holds for object storage too (keys, listing, deletion)."""

from __future__ import annotations

import io
import socket
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import boto3
import pytest
from django.utils import timezone
from moto.server import ThreadedMotoServer

from supportdesk.attachments.models import Attachment
from supportdesk.attachments.services import (
    attachment_add,
    attachments_delete_for_ticket,
    attachments_sweep_orphans,
    thumbnail_make,
)
from supportdesk.attachments.storage import attachment_storage
from tests.attachments import files
from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db

BUCKET = "supportdesk-attachments"
CREDENTIALS = {"access_key": "test-key", "secret_key": "test-secret", "region_name": "eu-west-1"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_endpoint: str, settings: Any) -> Any:
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=CREDENTIALS["access_key"],
        aws_secret_access_key=CREDENTIALS["secret_key"],
        region_name=CREDENTIALS["region_name"],
    )
    client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "default_acl": "private",
                "file_overwrite": False,
                "querystring_auth": True,
                **CREDENTIALS,
            },
        },
    }
    yield client
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for item in listed:
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _keys(client: Any) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_files_and_thumbnails_live_in_the_bucket(bucket: Any) -> None:
    photo = files.png((800, 600))
    attachment = attachment_add(
        message=MessageFactory(), name="foto.png", content=io.BytesIO(photo)
    )

    assert thumbnail_make(attachment_id=str(attachment.pk)) is True

    attachment.refresh_from_db()
    assert _keys(bucket) == sorted([attachment.storage_key, attachment.thumbnail_key])
    stored = bucket.get_object(Bucket=BUCKET, Key=attachment.storage_key)["Body"].read()
    assert stored == photo
    with attachment_storage().open(attachment.storage_key, "rb") as opened:
        assert opened.read() == photo


def test_the_sweep_and_deletion_work_on_object_storage(
    bucket: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given a ticket's file and an object no attachment refers to (a lost upload)
    settings.ATTACHMENT_ORPHAN_GRACE_SECONDS = 3600
    message = MessageFactory()
    kept = attachment_add(message=message, name="a.pdf", content=io.BytesIO(files.pdf()))
    lost = attachment_storage().save("attachments/2026/01/02/0badf00d", io.BytesIO(b"lost"))
    # when the sweep runs now, the lost upload is still within its grace period
    assert attachments_sweep_orphans() == 0
    # and two hours later it is gone, the ticket's file is not
    assert attachments_sweep_orphans(now=timezone.now() + timedelta(hours=2)) == 1
    assert _keys(bucket) == [kept.storage_key]
    assert lost != kept.storage_key
    # when the ticket's files are deleted, the bucket is empty after commit
    with django_capture_on_commit_callbacks(execute=True):
        assert attachments_delete_for_ticket(ticket=message.ticket) == 1
    assert not Attachment.objects.exists()
    assert _keys(bucket) == []
