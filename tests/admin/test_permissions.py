"""Who may do what in the admin: client keys are for managers only; an agent edits only its
own profile; managers edit any agent, skills included."""

import re
from collections.abc import Callable

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from supportdesk.agents.models import Agent
from supportdesk.clients.models import ApiKey, ClientApplication
from supportdesk.clients.selectors import client_app_for_key
from supportdesk.clients.services import api_key_create

pytestmark = pytest.mark.django_db

Login = Callable[[Agent], Client]


def agent_form(agent: Agent, **changes: object) -> dict[str, object]:
    skills = list(agent.skills.order_by("tag"))
    data: dict[str, object] = {
        "status": agent.status,
        "capacity": agent.capacity,
        "timezone": agent.timezone,
        "ui_language": agent.ui_language,
        "skills-TOTAL_FORMS": len(skills),
        "skills-INITIAL_FORMS": len(skills),
        "skills-MIN_NUM_FORMS": 0,
        "skills-MAX_NUM_FORMS": 1000,
    }
    for i, skill in enumerate(skills):
        data |= {
            f"skills-{i}-id": skill.pk,
            f"skills-{i}-agent": agent.pk,
            f"skills-{i}-tag": skill.tag,
            f"skills-{i}-proficiency": skill.proficiency,
        }
    return data | changes


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:clients_clientapplication_changelist"),
        reverse("admin:clients_apikey_changelist"),
        reverse("admin:clients_clientapplication_add"),
    ],
)
def test_an_agent_cannot_see_client_applications_or_keys(
    login: Login, anna: Agent, url: str
) -> None:
    assert login(anna).get(url).status_code == 403


def test_client_applications_are_not_on_an_agents_index(login: Login, anna: Agent) -> None:
    page = login(anna).get(reverse("admin:index")).content.decode()

    assert "Tickets" in page
    assert "Client applications" not in page


def test_a_manager_creates_an_application_and_sees_its_key_once(login: Login, maria: Agent) -> None:
    # given
    client = login(maria)
    # when
    response = client.post(
        reverse("admin:clients_clientapplication_add"),
        {
            "name": "help-centre",
            "is_active": "on",
            "api_keys-TOTAL_FORMS": 0,
            "api_keys-INITIAL_FORMS": 0,
        },
    )
    # then: the next page shows the key; it works; it is stored only hashed; never shown again
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    key = re.search(r"sd_[0-9a-f]+\.[\w-]+", page)
    assert key is not None
    app = ClientApplication.objects.get(name="help-centre")
    assert client_app_for_key(key=key.group()) == app
    assert not ApiKey.objects.filter(digest=key.group()).exists()
    assert key.group() not in client.get(response.url).content.decode()


def test_a_manager_revokes_a_key(login: Login, maria: Agent) -> None:
    app, key = api_key_create(name="mobile")
    row = app.api_keys.get()

    login(maria).post(
        reverse("admin:clients_apikey_changelist"),
        {"action": "revoke", ACTION_CHECKBOX_NAME: [row.pk]},
    )

    row.refresh_from_db()
    assert row.revoked_at is not None
    assert client_app_for_key(key=key) is None


def test_a_manager_makes_a_new_key_for_an_existing_application(login: Login, maria: Agent) -> None:
    app, old_key = api_key_create(name="shop")

    response = login(maria).post(
        reverse("admin:clients_clientapplication_changelist"),
        {"action": "create_key", ACTION_CHECKBOX_NAME: [app.pk]},
    )

    assert app.api_keys.count() == 2
    assert client_app_for_key(key=old_key) == app  # the old key keeps working
    assert any("sd_" in str(m) for m in get_messages(response.wsgi_request))


def test_an_agent_lists_and_edits_only_itself(login: Login, anna: Agent, bruno: Agent) -> None:
    client = login(anna)

    listing = client.get(reverse("admin:agents_agent_changelist"))
    other = client.get(reverse("admin:agents_agent_change", args=[bruno.pk]))
    tampered = client.post(
        reverse("admin:agents_agent_change", args=[bruno.pk]),
        agent_form(bruno, timezone="Asia/Tokyo"),
    )

    assert list(listing.context["cl"].result_list) == [anna]
    assert other.status_code == 302
    assert tampered.status_code == 302
    bruno.refresh_from_db()
    assert bruno.timezone == "Europe/Amsterdam"


def test_an_agent_sets_its_time_zone_and_language_but_not_its_capacity(
    login: Login, anna: Agent
) -> None:
    response = login(anna).post(
        reverse("admin:agents_agent_change", args=[anna.pk]),
        agent_form(anna, timezone="America/Sao_Paulo", ui_language="nl", capacity=50),
    )

    assert response.status_code == 302
    anna.refresh_from_db()
    assert (anna.timezone, anna.ui_language, anna.capacity) == ("America/Sao_Paulo", "nl", 5)


def test_a_manager_edits_skills_through_the_service(
    login: Login, maria: Agent, anna: Agent
) -> None:
    # given: anna speaks nl and en; maria replaces en by pt-BR and raises capacity
    data = agent_form(anna, capacity=8)
    en = next(k for k, v in data.items() if v == "en")
    data[en] = "pt-BR"
    # when
    response = login(maria).post(reverse("admin:agents_agent_change", args=[anna.pk]), data)
    # then
    assert response.status_code == 302
    anna.refresh_from_db()
    skills = set(anna.skills.values_list("tag", "language_base", "proficiency"))
    assert skills == {("nl", "nl", "native"), ("pt-BR", "pt", "fluent")}
    assert anna.capacity == 8


def test_an_agent_cannot_change_its_own_skills(login: Login, anna: Agent) -> None:
    data = agent_form(anna)
    en = next(k for k, v in data.items() if v == "en")
    data[en] = "ja"

    login(anna).post(reverse("admin:agents_agent_change", args=[anna.pk]), data)

    assert set(anna.skills.values_list("tag", flat=True)) == {"nl", "en"}
