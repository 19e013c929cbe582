from rest_framework import serializers

from supportdesk.agents.models import Agent, AgentLanguage


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


class AgentStatusInputSerializer(serializers.Serializer[Agent]):
    status = serializers.ChoiceField(choices=Agent.Status.values)
