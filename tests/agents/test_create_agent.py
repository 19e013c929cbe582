from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from supportdesk.agents.models import Agent
from supportdesk.agents.selectors import is_manager

pytestmark = pytest.mark.django_db


def create_agent(*args: str) -> str:
    out = StringIO()
    call_command("create_agent", *args, stdout=out)
    return out.getvalue()


def test_prints_only_the_api_token_and_makes_an_offline_staff_agent() -> None:
    output = create_agent("anna", "--languages", "nl:native,en:fluent")
    agent = Agent.objects.get(user__username="anna")
    assert output == f"{Token.objects.get(user=agent.user).key}\n"
    assert agent.user.is_staff
    assert agent.status == "offline"
    assert agent.capacity == 5
    assert {(s.tag, s.proficiency, s.language_base) for s in agent.skills.all()} == {
        ("nl", "native", "nl"),
        ("en", "fluent", "en"),
    }
    assert not is_manager(agent.user)


def test_online_manager_with_capacity_and_normalised_tags() -> None:
    create_agent("max", "--languages", "pt-br:native", "--capacity", "8", "--online", "--manager")
    agent = Agent.objects.get(user__username="max")
    assert agent.status == "online"
    assert agent.last_seen is not None
    assert agent.capacity == 8
    assert [s.tag for s in agent.skills.all()] == ["pt-BR"]
    assert is_manager(agent.user)


def test_rerunning_updates_skills_and_capacity_and_keeps_the_token() -> None:
    token = create_agent("anna", "--languages", "nl:native,en:fluent")
    again = create_agent("anna", "--languages", "de:basic", "--capacity", "3")
    agent = Agent.objects.get(user__username="anna")
    assert again == token
    assert agent.capacity == 3
    assert [(s.tag, s.proficiency) for s in agent.skills.all()] == [("de", "basic")]
    assert Agent.objects.count() == 1


def test_password_lets_the_agent_log_in() -> None:
    create_agent("anna", "--languages", "nl", "--password", "s3cret-passphrase")
    assert Agent.objects.get().user.check_password("s3cret-passphrase")


@pytest.mark.parametrize(
    "password",
    ["short-pw1", "password1234", "48201937465512", "anna-jansen-1", "demo-agent"],
    ids=["too-short", "common", "numeric", "like-the-username", "old-demo"],
)
def test_a_weak_password_exits_non_zero_and_creates_nothing(password: str) -> None:
    with pytest.raises(CommandError):
        create_agent("anna-jansen", "--languages", "nl", "--password", password)
    assert not Agent.objects.exists()


@pytest.mark.parametrize("languages", ["xx-invalid:native", "nl:expert", "123"])
def test_an_invalid_tag_or_level_exits_non_zero_and_creates_nothing(languages: str) -> None:
    with pytest.raises(CommandError):
        create_agent("anna", "--languages", languages)
    assert not Agent.objects.exists()


def test_a_rotated_token_replaces_the_old_one_and_old_tokens_expire() -> None:
    old = create_agent("anna", "--languages", "nl").strip()
    new = create_agent("anna", "--languages", "nl", "--rotate-token").strip()
    assert new != old
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert client.get("/api/v1/agents/me/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {new}")
    assert client.get("/api/v1/agents/me/").status_code == 200
    # when the token is older than STAFF_TOKEN_MAX_AGE_DAYS, it is refused
    with time_machine.travel(timezone.now() + timedelta(days=91), tick=False):
        expired = client.get("/api/v1/agents/me/")
    assert expired.status_code == 401
    assert "--rotate-token" in expired.json()["detail"]
