from django.conf import settings
from rest_framework import serializers

from supportdesk.languages import tags
from supportdesk.languages.models import Language


class LanguageDetailSerializer(serializers.Serializer[Language]):
    """`name` is in the language of the request (context `display_language`)."""

    tag = serializers.CharField(read_only=True)
    name = serializers.SerializerMethodField()
    native_name = serializers.SerializerMethodField()
    fallbacks = serializers.SerializerMethodField()

    def get_name(self, language: Language) -> str:
        return tags.display_name(language.tag, in_language=self.context["display_language"])

    def get_native_name(self, language: Language) -> str:
        return tags.native_name(language.tag)

    def get_fallbacks(self, language: Language) -> list[str]:
        """The ordered chain, always ending in DEFAULT_LANGUAGE (empty for the default)."""
        default: str = settings.DEFAULT_LANGUAGE
        chain = dict.fromkeys([*language.fallbacks, default])
        return [tag for tag in chain if tag != language.tag]
