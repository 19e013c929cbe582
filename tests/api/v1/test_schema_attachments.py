"""Attachment downloads and thumbnails answer as the schema says (schemathesis: no server
error, status, content type, headers and body as documented), for the ticket's client
application and for staff, with a PDF and with an image that has its thumbnail."""

from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import override_settings
from hypothesis import HealthCheck, Phase, given, settings

from supportdesk.attachments.services.lifecycle import thumbnail_make
from tests.api.v1.test_schema import CHECKS, _connections_kept_open
from tests.attachments import files
from tests.attachments.files import ticket_form, upload
from tests.conftest import ClientPrincipal, StaffPrincipal

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.usefixtures("attachment_media")]

EXAMPLES = 5  # only the id varies, and it is fixed: one case each is the point
APPLICATION = get_wsgi_application()


def _served(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """The Django application as a WSGI server runs it: the body read, then the iterable
    closed (the test transport leaves a streamed file open otherwise)."""
    answer = APPLICATION(environ, start_response)
    try:
        return [b"".join(answer)]
    finally:
        answer.close()


def _exercise(operation: Any, *, authorization: str, attachment_id: str) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.path_parameters["id"] = attachment_id  # a real file, not random 404s
        response = case.call_and_validate(headers={"Authorization": authorization}, checks=CHECKS)
        assert response.status_code in {200, 404}  # 404: a PDF has no thumbnail

    run()


@override_settings(API_THROTTLE_RATE="")
def test_attachment_downloads_and_thumbnails_answer_as_the_schema_says(
    client_a: ClientPrincipal, manager_principal: StaffPrincipal
) -> None:
    # given a ticket of client A with a PDF and an image whose thumbnail is made
    created = client_a.client.post(
        "/api/v1/tickets/",
        ticket_form(files=[upload("bon.pdf", files.pdf()), upload("foto.png", files.png())]),
        format="multipart",
    )
    assert created.status_code == 201, created.content
    pdf_id, image_id = (attachment["id"] for attachment in created.json()["attachments"])
    assert thumbnail_make(attachment_id=image_id)
    with _connections_kept_open():
        schema = schemathesis.openapi.from_wsgi("/api/schema/", _served)
        operations = [result.ok() for result in schema.get_all_operations()]
        mine = [op for op in operations if op.path.startswith("/api/v1/attachments/")]
        assert {op.path for op in mine} == {
            "/api/v1/attachments/{id}/",
            "/api/v1/attachments/{id}/thumbnail/",
        }
        # when each is called by the owning application and by staff, for each file
        for operation in mine:
            for who in (f"Api-Key {client_a.key}", f"Token {manager_principal.token}"):
                for attachment_id in (pdf_id, image_id):
                    _exercise(operation, authorization=who, attachment_id=attachment_id)
