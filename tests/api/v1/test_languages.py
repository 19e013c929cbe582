import pytest
from django.conf import settings
from rest_framework.test import APIClient

from supportdesk.languages.models import Language
from tests.api.v1.conftest import assert_conforms

pytestmark = pytest.mark.django_db

URL = "/api/v1/languages/"


def _by_tag(response_json: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {str(entry["tag"]): entry for entry in response_json}


def test_anyone_lists_the_enabled_languages_with_fallbacks(anon_client: APIClient) -> None:
    Language.objects.filter(tag="th").update(enabled=False)
    response = anon_client.get(URL)
    assert response.status_code == 200
    assert_conforms(response, path=URL, method="get")
    languages = _by_tag(response.json())
    assert "th" not in languages
    assert languages["ca"]["fallbacks"] == ["es", "en"]
    assert languages["en"]["fallbacks"] == []
    assert all(
        entry["fallbacks"][-1] == settings.DEFAULT_LANGUAGE
        for tag, entry in languages.items()
        if tag != settings.DEFAULT_LANGUAGE
    )


@pytest.mark.parametrize(
    ("header", "german_name"),
    [
        ("nl", "Duits"),
        ("fr-CH, en;q=0.5", "allemand"),
        ("ja", "ドイツ語"),  # names exist in more languages than the UI is translated into
        ("", "German"),
        ("klingon!!, *", "German"),
    ],
)
def test_names_are_in_the_accept_language_language(
    anon_client: APIClient, header: str, german_name: str
) -> None:
    response = anon_client.get(URL, HTTP_ACCEPT_LANGUAGE=header)
    languages = _by_tag(response.json())
    assert languages["de"]["name"] == german_name
    assert languages["de"]["native_name"] == "Deutsch"
    assert languages["pt-BR"]["native_name"] == "português (Brasil)"
