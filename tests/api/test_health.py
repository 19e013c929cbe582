import pytest
from django.test import Client, override_settings

from tests.redis_urls import redis_url

pytestmark = pytest.mark.django_db


def test_healthz_answers_json_at_the_exact_path() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@override_settings(CELERY_BROKER_URL="")
def test_readyz_names_database_and_broker_and_stays_ready_without_a_broker() -> None:
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": "up", "broker": "not-configured"}


@override_settings(CELERY_BROKER_URL=redis_url(15))
def test_readyz_reports_a_reachable_redis_broker_as_up() -> None:
    response = Client().get("/readyz")
    assert response.json()["broker"] == "up"
    assert response.status_code == 200
