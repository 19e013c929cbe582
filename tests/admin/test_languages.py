"""The languages admin: CLDR names in the reader's language; tags validated and normalised."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from supportdesk.agents.models import Agent
from supportdesk.languages.models import Language

pytestmark = pytest.mark.django_db

Login = Callable[[Agent], Client]
CHANGELIST = reverse("admin:languages_language_changelist")


def test_language_names_follow_the_readers_language(login: Login, anna: Agent) -> None:
    client = login(anna)

    english = client.get(CHANGELIST).content.decode()
    Agent.objects.filter(pk=anna.pk).update(ui_language="nl")
    dutch = client.get(CHANGELIST).content.decode()

    assert "German (de)" in english
    assert "Duits (de)" in dutch
    assert "Deutsch" in english  # the native name does not change


def test_agents_may_look_but_not_edit(login: Login, anna: Agent) -> None:
    german = Language.objects.get(tag="de")

    response = login(anna).post(
        reverse("admin:languages_language_change", args=[german.pk]),
        {"tag": "de", "fallbacks": "[]", "position": 1},
    )

    assert response.status_code == 403


def test_a_manager_adds_a_language_with_a_normalised_tag(login: Login, maria: Agent) -> None:
    response = login(maria).post(
        reverse("admin:languages_language_add"),
        {"tag": "gl-es", "enabled": "on", "fallbacks": '["ES", "en"]', "position": 50},
    )

    assert response.status_code == 302
    added = Language.objects.get(tag="gl-ES")
    assert added.fallbacks == ["es", "en"]


def test_an_invalid_tag_is_refused_by_name(login: Login, maria: Agent) -> None:
    response = login(maria).post(
        reverse("admin:languages_language_add"),
        {"tag": "xx-nonsense-tag", "fallbacks": "[]", "position": 50},
    )

    assert response.status_code == 200
    assert "“xx-nonsense-tag” is not a valid BCP 47 language tag." in response.content.decode()
