"""API keys are read through a per-process snapshot (ADR 0008): revocation takes effect at
once in the process that revokes, and within REFERENCE_CACHE_SECONDS in the others."""

from __future__ import annotations

import time

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from supportdesk.clients.models import ApiKey
from supportdesk.clients.services import api_key_create, api_key_revoke

pytestmark = pytest.mark.django_db
URL = "/api/v1/tickets/"


def client_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


def test_revoking_a_key_shuts_it_out_at_once() -> None:
    app, key = api_key_create(name="help-centre")
    client = client_with(key)
    assert client.get(URL).status_code == 200  # now known to this process

    api_key_revoke(key_ids=ApiKey.objects.filter(client_app=app).values_list("id", flat=True))

    assert client.get(URL).status_code == 401


def test_deactivating_the_application_shuts_its_keys_out_at_once() -> None:
    app, key = api_key_create(name="help-centre")
    client = client_with(key)
    assert client.get(URL).status_code == 200

    app.is_active = False
    app.save()

    assert client.get(URL).status_code == 401


@override_settings(REFERENCE_CACHE_SECONDS=0.3)
def test_a_change_made_elsewhere_is_seen_within_the_snapshot_lifetime() -> None:
    # given a key this process knows
    app, key = api_key_create(name="help-centre")
    client = client_with(key)
    assert client.get(URL).status_code == 200
    # when another process revokes it (here: a bulk update, which sends no signal)
    ApiKey.objects.filter(client_app=app).update(revoked_at=timezone.now())
    # then this process still knows the key for at most REFERENCE_CACHE_SECONDS
    assert client.get(URL).status_code == 200
    time.sleep(0.35)
    assert client.get(URL).status_code == 401


def test_a_wrong_key_with_a_known_prefix_is_refused() -> None:
    _app, key = api_key_create(name="help-centre")
    assert client_with(key).get(URL).status_code == 200

    forged = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")

    assert client_with(forged).get(URL).status_code == 401
