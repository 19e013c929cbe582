import pytest

from tests.api.v1.conftest import assert_conforms
from tests.conftest import StaffPrincipal

pytestmark = pytest.mark.django_db

URL = "/api/v1/agents/me/"


def test_an_agent_sees_its_status_capacity_load_and_skills(
    agent_principal: StaffPrincipal,
) -> None:
    response = agent_principal.client.get(URL)
    assert response.status_code == 200
    assert_conforms(response, path=URL, method="get")
    assert response.json() == {
        "id": agent_principal.agent.id,
        "name": "agent-anna",
        "status": "online",
        "capacity": 5,
        "load": 0,
        "skills": [
            {"language": "en", "proficiency": "fluent"},
            {"language": "nl", "proficiency": "native"},
        ],
    }


def test_an_agent_sets_its_status_and_is_seen_now(agent_principal: StaffPrincipal) -> None:
    response = agent_principal.client.patch(URL, {"status": "away"}, format="json")
    assert response.status_code == 200
    assert_conforms(response, path=URL, method="patch")
    assert response.json()["status"] == "away"
    agent_principal.agent.refresh_from_db()
    assert agent_principal.agent.status == "away"
    assert agent_principal.agent.last_seen is not None


@pytest.mark.parametrize("body", [{"status": "busy"}, {"status": ""}, {"status": 1}])
def test_anything_but_online_away_offline_is_a_400(
    agent_principal: StaffPrincipal, body: dict[str, object]
) -> None:
    response = agent_principal.client.patch(URL, body, format="json")
    assert response.status_code == 400
    assert_conforms(response, path=URL, method="patch")
    assert "status" in response.json()


def test_capacity_is_read_only_for_agents(agent_principal: StaffPrincipal) -> None:
    response = agent_principal.client.patch(
        URL, {"status": "online", "capacity": 50}, format="json"
    )
    assert response.status_code == 400
    assert "capacity" in response.json()
    assert agent_principal.client.get(URL).json()["capacity"] == 5


def test_patch_is_partial_and_names_the_read_only_fields(
    agent_principal: StaffPrincipal,
) -> None:
    # an empty PATCH changes nothing
    unchanged = agent_principal.client.patch(URL, {}, format="json")
    assert unchanged.status_code == 200
    assert unchanged.json()["status"] == "online"
    # fields the agent may not set are named, and nothing changes
    refused = agent_principal.client.patch(
        URL, {"status": "away", "capacity": 50, "skills": []}, format="json"
    )
    assert refused.status_code == 400
    assert set(refused.json()) == {"capacity", "skills"}
    assert agent_principal.client.get(URL).json()["status"] == "online"
