import re
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from supportdesk.clients.models import ApiKey, ClientApplication
from supportdesk.clients.selectors import client_app_for_key

pytestmark = pytest.mark.django_db


def create_api_key(name: str) -> str:
    out = StringIO()
    call_command("create_api_key", name, stdout=out)
    return out.getvalue()


def test_create_api_key_prints_only_the_key_on_one_line() -> None:
    output = create_api_key("help-centre")
    assert re.fullmatch(r"sd_[0-9a-f]{12}\.[A-Za-z0-9_-]{20,}\n", output)
    assert client_app_for_key(key=output.strip()) == ClientApplication.objects.get(
        name="help-centre"
    )


def test_the_key_is_stored_hashed_never_in_clear() -> None:
    key = create_api_key("help-centre").strip()
    stored = ApiKey.objects.get()
    assert key not in (stored.prefix, stored.digest)
    assert key.split(".", 1)[1] not in stored.digest


def test_a_second_run_adds_a_key_to_the_same_application_and_both_work() -> None:
    first = create_api_key("help-centre").strip()
    second = create_api_key("help-centre").strip()
    assert first != second
    assert ClientApplication.objects.count() == 1
    assert client_app_for_key(key=first) == client_app_for_key(key=second)


@pytest.mark.parametrize("bad", ["", "sd_", "sd_abc", "nonsense", "sd_zzzzzz.wrong"])
def test_unknown_or_malformed_keys_match_nothing(bad: str) -> None:
    create_api_key("help-centre")
    assert client_app_for_key(key=bad) is None


def test_a_revoked_key_matches_nothing() -> None:
    key = create_api_key("help-centre").strip()
    ApiKey.objects.update(revoked_at="2026-01-01T00:00:00Z")
    assert client_app_for_key(key=key) is None


def test_last_used_at_is_written_to_the_minute_when_the_key_is_used() -> None:
    # given a new key, never used
    key = create_api_key("help-centre").strip()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert ApiKey.objects.get().last_used_at is None
    start = timezone.now()
    # when it authenticates a request, then it is recorded
    with time_machine.travel(start, tick=False):
        assert client.get("/api/v1/tickets/").status_code == 200
    first = ApiKey.objects.get().last_used_at
    assert first == start
    # and again within the minute: no new write
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        client.get("/api/v1/tickets/")
    assert ApiKey.objects.get().last_used_at == first
    # a minute later: the new time
    later = start + timedelta(minutes=2)
    with time_machine.travel(later, tick=False):
        client.get("/api/v1/tickets/")
    assert ApiKey.objects.get().last_used_at == later
