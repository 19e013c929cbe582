"""The attachment storage on S3 (django-storages), against moto's S3 server on 127.0.0.1:
what the file-system tests show holds for object storage too (keys, listing, deletion, and the
API's upload, download and refusal paths)."""

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
from supportdesk.tickets.models import Ticket
from tests.attachments import files
from tests.attachments.files import ticket_form, upload
from tests.conftest import ClientPrincipal, StaffPrincipal
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


def test_an_api_upload_goes_to_the_bucket_and_is_downloaded_from_it(
    bucket: Any,
    client_a: ClientPrincipal,
    agent_principal: StaffPrincipal,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given a customer's ticket with a PDF and a photo, sent as multipart through the API
    document, photo = files.pdf(b"% invoice 4711\n"), files.png((800, 600))
    with django_capture_on_commit_callbacks(execute=True):  # the thumbnail is made after commit
        response = client_a.client.post(
            "/api/v1/tickets/",
            ticket_form(files=[upload("factuur.pdf", document), upload("doos.png", photo)]),
            format="multipart",
        )
    assert response.status_code == 201, response.content
    listed = response.json()["attachments"]
    # then the bytes are objects in the bucket, under the rows' keys
    stored = {a.name: a for a in Attachment.objects.all()}
    pdf_row, photo_row = stored["factuur.pdf"], stored["doos.png"]
    assert _keys(bucket) == sorted(
        [pdf_row.storage_key, photo_row.storage_key, photo_row.thumbnail_key]
    )
    assert bucket.get_object(Bucket=BUCKET, Key=pdf_row.storage_key)["Body"].read() == document
    # when the customer's application and an agent download them through the API
    pdf_url, photo_url = (item["url"] for item in listed)
    downloads = [
        client_a.client.get(pdf_url),
        agent_principal.client.get(photo_url),
        agent_principal.client.get(f"{photo_url}thumbnail/"),
    ]
    # then they get the bytes from the bucket, as downloads
    assert [d.status_code for d in downloads] == [200, 200, 200]
    bodies = [b"".join(d.streaming_content) for d in downloads]
    for download in downloads:
        download.close()
    assert bodies[:2] == [document, photo]
    assert bodies[2].startswith(b"\x89PNG")
    assert downloads[0]["Content-Disposition"] == 'attachment; filename="factuur.pdf"'
    assert downloads[0]["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("second", "max_files", "status"),
    [
        pytest.param(("page.html", files.HTML), 2, 415, id="second-file-of-a-refused-type"),
        pytest.param(("big.txt", b"x" * 5000), 2, 413, id="second-file-too-large"),
        pytest.param(("b.pdf", files.pdf()), 1, 400, id="one-file-too-many"),
    ],
)
def test_a_refused_api_upload_leaves_no_object_in_the_bucket(
    bucket: Any,
    client_a: ClientPrincipal,
    settings: Any,
    second: tuple[str, bytes],
    max_files: int,
    status: int,
) -> None:
    # given files of 4 KB at most
    settings.ATTACHMENT_MAX_FILE_BYTES = 4000
    settings.ATTACHMENT_MAX_FILES = max_files
    # when a ticket whose first file is fine (stored as it arrives) and whose second is
    # refused is sent
    response = client_a.client.post(
        "/api/v1/tickets/",
        ticket_form(files=[upload("a.pdf", files.pdf()), upload(*second)]),
        format="multipart",
    )
    # then it is refused, and neither the first file nor anything else stays in the bucket
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert not Ticket.objects.exists()
    assert not Attachment.objects.exists()
    assert _keys(bucket) == []
