from rest_framework import serializers

from supportdesk.agents.models import Agent, AgentLanguage
from supportdesk.api.fields import RefusesServerFields


class AgentSkillSerializer(serializers.Serializer[AgentLanguage]):
    language = serializers.CharField(source="tag", read_only=True)
    proficiency = serializers.ChoiceField(choices=AgentLanguage.Proficiency.values, read_only=True)


class AgentMeSerializer(serializers.Serializer[Agent]):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)
    status = serializers.ChoiceField(choices=Agent.Status.values, read_only=True)
    capacity = serializers.IntegerField(read_only=True)
    load = serializers.IntegerField(read_only=True)
    skills = AgentSkillSerializer(many=True, read_only=True)


class AgentStatusInputSerializer(RefusesServerFields):
    """PATCH is partial: `status` is the one field an agent sets here; the others are named
    as read-only when given (capacity and skills are a manager's, in the admin)."""

    server_fields = ("id", "name", "capacity", "load", "skills")

    status = serializers.ChoiceField(choices=Agent.Status.values, required=False)
