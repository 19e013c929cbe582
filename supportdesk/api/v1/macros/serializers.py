from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from supportdesk.api.fields import RefusesServerFields, StrictCharField
from supportdesk.api.v1.messages.serializers import MessageDetailSerializer
from supportdesk.macros.models import Macro
from supportdesk.macros.selectors import source_variant, variant_state
from supportdesk.macros.services import macro_actions
from supportdesk.tickets.models import Priority, TicketStatus


class MacroActionsSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=TicketStatus.values, required=False)
    priority = serializers.ChoiceField(choices=[p.api_name for p in Priority], required=False)
    tags = serializers.ListField(child=serializers.CharField(), required=False)


class MacroVariantSerializer(serializers.Serializer[Any]):
    language = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True, help_text="With its `{{placeholders}}`.")
    stale = serializers.BooleanField(
        read_only=True, help_text="The source-language text changed after this one."
    )


class MacroDetailSerializer(serializers.Serializer[Macro]):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    source_language = serializers.CharField(read_only=True)
    internal = serializers.BooleanField(read_only=True)
    actions = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField()
    variants = serializers.SerializerMethodField()

    @extend_schema_field(MacroActionsSerializer)
    def get_actions(self, macro: Macro) -> dict[str, Any]:
        data: dict[str, Any] = MacroActionsSerializer(macro_actions(macro)).data
        return data

    def get_languages(self, macro: Macro) -> list[str]:
        """The languages it has a text in."""
        return [variant.language for variant in macro.variants.all()]

    @extend_schema_field(MacroVariantSerializer(many=True))
    def get_variants(self, macro: Macro) -> list[dict[str, Any]]:
        source = source_variant(macro)
        return [
            {
                "language": v.language,
                "name": v.name,
                "body": v.body,
                "stale": variant_state(v, source=source) == "stale",
            }
            for v in macro.variants.all()
        ]


class MacroSearchSerializer(serializers.Serializer[Any]):
    search = StrictCharField(max_length=100, required=False, allow_blank=True)


class MacroApplyInputSerializer(RefusesServerFields):
    server_fields = ("macro", "language", "fallback", "message")

    body = StrictCharField(
        max_length=settings.MAX_TICKET_BODY_CHARS,
        required=False,
        help_text="The agent's edit of the rendered text; omitted: the text as rendered.",
    )
    internal = serializers.BooleanField(
        required=False, help_text="Overrides the macro's choice (public reply or internal note)."
    )


class MacroAppliedSerializer(serializers.Serializer[Any]):
    macro = serializers.IntegerField()
    language = serializers.CharField(help_text="The variant used.")
    fallback = serializers.BooleanField(
        help_text="True when the variant is not in the ticket's own language."
    )
    actions = MacroActionsSerializer()
    message = MessageDetailSerializer()
    status = serializers.ChoiceField(choices=TicketStatus.values)
    priority = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField())


class MacroRenderedSerializer(serializers.Serializer[Any]):
    macro = serializers.IntegerField()
    language = serializers.CharField(help_text="The variant used.")
    fallback = serializers.BooleanField(
        help_text="True when the variant is not in the ticket's own language."
    )
    body = serializers.CharField(help_text="The text with its placeholders filled.")
    internal = serializers.BooleanField(help_text="Sent as an internal note when applied.")
    actions = MacroActionsSerializer()
