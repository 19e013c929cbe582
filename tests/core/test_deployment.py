"""Production settings and the doors a deployment exposes: `check --deploy` is clean with the
documented variables, a Content-Security-Policy, API docs served from the package, admin login
throttling, /metrics closed without a token, client addresses only from trusted proxies, and
guessed API keys throttled per address."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from rest_framework.test import APIClient

from config.email_url import email_settings
from supportdesk.agents.services import agent_upsert
from supportdesk.api import throttling
from supportdesk.api.authentication import BAD_KEY_SCOPE
from supportdesk.core.client_ip import client_ip
from tests.conftest import ClientPrincipal

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {  # README "Production"
    "DEBUG": "false",
    "SECRET_KEY": "k9$Vq2!xR7@pL4#mZ8^tN1&wB6*yH3(eJ5)uC0-sD9+fG2=aK7_iO4~vM8",
    "ALLOWED_HOSTS": "support.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://support.example.com",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "SESSION_COOKIE_SECURE": "true",
    "CSRF_COOKIE_SECURE": "true",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
    "TRUSTED_PROXY_COUNT": "1",
    "METRICS_TOKEN": "a-long-random-metrics-token",
}


def test_check_deploy_is_clean_with_the_documented_production_variables() -> None:
    environment = {
        **{k: v for k, v in os.environ.items() if k not in PRODUCTION},
        **PRODUCTION,
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_with_a_nonce_for_the_admin_script() -> None:
    # given an agent on an admin page (its heartbeat script is inline)
    agent, _token = agent_upsert(username="csp-anna", skills={"nl": "native"})
    client = Client()
    client.force_login(agent.user)
    response = client.get("/admin/")
    policy = response.headers["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.content.decode()
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self' 'nonce-" in policy


@pytest.mark.django_db
def test_the_api_docs_load_nothing_from_a_cdn() -> None:
    for path in ("/api/docs/", "/api/redoc/"):
        page = Client().get(path)
        assert page.status_code == 200
        html = page.content.decode()
        assert "cdn.jsdelivr.net" not in html
        assert "@latest" not in html
        assert "/static/drf_spectacular_sidecar/" in html


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_admin_login_is_locked_after_repeated_failures() -> None:
    get_user_model().objects.create_user(
        "admin-anna", password="correct-horse-battery", is_staff=True
    )
    client = Client(REMOTE_ADDR="203.0.113.7")
    answers = [
        client.post("/admin/login/", {"username": "admin-anna", "password": "guess"}).status_code
        for _attempt in range(3)
    ]
    assert answers == [200, 200, 429]  # the form again with its error; then locked
    # when the right password comes after the limit
    locked = client.post(
        "/admin/login/", {"username": "admin-anna", "password": "correct-horse-battery"}
    )
    # then it is refused, and nobody is logged in
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_metrics_need_a_token_when_debug_is_off() -> None:
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 403


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.1", "10.0.0.2"),  # no proxy trusted: the header is the client's word
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # a spoofed first entry is ignored
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.9", "198.51.100.1"),
        (1, "", "10.0.0.2"),
    ],
)
def test_the_client_address_comes_only_from_trusted_proxies(
    proxies: int, forwarded: str, expected: str
) -> None:
    meta = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": forwarded}
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_ip(meta) == expected


@pytest.mark.django_db
@override_settings(API_THROTTLE_RATE="2/min")
def test_anonymous_throttling_ignores_a_forwarded_for_header_nobody_vouches_for() -> None:
    throttling.counter().clear()
    client = APIClient()
    answers = [
        client.get("/api/v1/languages/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(3)
    ]
    assert answers == [200, 200, 429]


@pytest.mark.django_db
@override_settings(API_BAD_KEY_RATE="3/min")
def test_guessed_api_keys_are_throttled_per_address(client_a: ClientPrincipal) -> None:
    throttling.counter().clear()
    guesser = APIClient(REMOTE_ADDR="203.0.113.9")
    try:
        answers = []
        for n in range(4):
            guesser.credentials(HTTP_AUTHORIZATION=f"Api-Key guess-{n}")
            answers.append(guesser.get("/api/v1/tickets/").status_code)
        assert answers == [401, 401, 401, 429]
        # even the right key is refused from there until the window ends...
        guesser.credentials(HTTP_AUTHORIZATION=f"Api-Key {client_a.key}")
        blocked = guesser.get("/api/v1/tickets/")
        assert blocked.status_code == 429
        assert int(blocked.headers["Retry-After"]) > 0
        # ...while the application itself, from its own address, carries on
        assert client_a.client.get("/api/v1/tickets/").status_code == 200
    finally:
        cache.delete(f"{BAD_KEY_SCOPE}:blocked:203.0.113.9")


@pytest.mark.parametrize(
    ("url", "path"),
    [("filemail:///tmp/mail", "/tmp/mail"), ("filemail://tmp/mail", "tmp/mail")],  # noqa: S108
)
def test_filemail_urls_mean_what_they_say(url: str, path: str) -> None:
    config = email_settings(url, debug=False)
    assert config["EMAIL_FILE_PATH"] == path
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"


def test_console_mail_needs_debug() -> None:
    assert email_settings("consolemail://", debug=True)["EMAIL_BACKEND"] == (
        "django.core.mail.backends.console.EmailBackend"
    )
    with pytest.raises(ImproperlyConfigured):
        email_settings("consolemail://", debug=False)
