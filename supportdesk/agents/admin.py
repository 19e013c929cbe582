"""Agent profiles. Managers edit every agent; an agent sees and edits only its own profile
(time zone, UI language, status). Skills, capacity and status go through the services."""

from typing import Any
from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from supportdesk.agents.models import Agent, AgentLanguage
from supportdesk.agents.selectors import is_manager
from supportdesk.agents.services import agent_set_capacity, agent_set_skills, agent_set_status
from supportdesk.languages.admin import language_label
from supportdesk.languages.formatting import when
from supportdesk.languages.selectors import enabled_tags

PLAIN_PREFERENCES = ("timezone", "ui_language")


def _timezone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(available_timezones())]


def _ui_language_choices() -> list[tuple[str, str]]:
    browser = str(_("The browser's language"))
    return [("", browser), *((c, str(n)) for c, n in settings.LANGUAGES)]


class AgentForm(ModelForm[Agent]):
    timezone = forms.ChoiceField(label=_("time zone"), choices=_timezone_choices)
    ui_language = forms.ChoiceField(
        label=_("UI language"), choices=_ui_language_choices, required=False
    )

    class Meta:
        model = Agent
        fields = ("user", "status", "capacity", "timezone", "ui_language")


class AgentLanguageForm(ModelForm[AgentLanguage]):
    tag = forms.ChoiceField(label=_("language"))

    class Meta:
        model = AgentLanguage
        fields = ("tag", "proficiency")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        known = enabled_tags()
        if self.instance.tag and self.instance.tag not in known:
            known.append(self.instance.tag)
        choices = sorted(((t, language_label(t)) for t in known), key=lambda c: c[1].lower())
        self.fields["tag"].choices = [("", "---------"), *choices]  # type: ignore[attr-defined]  # a ChoiceField


class AgentLanguageInline(admin.TabularInline[AgentLanguage, Agent]):
    model = AgentLanguage
    form = AgentLanguageForm
    extra = 0
    verbose_name = _("language skill")
    verbose_name_plural = _("language skills")


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin[Agent]):
    form = AgentForm
    inlines = (AgentLanguageInline,)
    list_display = ("display_name", "status", "workload", "languages", "timezone", "seen")
    list_filter = ("status",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "skills__tag")
    list_select_related = ("user",)
    fields = ("user", "status", "capacity", "load", "timezone", "ui_language", "last_seen")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Agent]:
        agents = super().get_queryset(request).prefetch_related("skills")
        if is_manager(request.user):
            return agents
        return agents.filter(user__pk=request.user.pk or 0)

    def has_change_permission(self, request: HttpRequest, obj: Agent | None = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or is_manager(request.user) or obj.user_id == request.user.pk

    def get_readonly_fields(
        self, request: HttpRequest, obj: Agent | None = None
    ) -> tuple[str, ...]:
        fields: tuple[str, ...] = ("load", "last_seen")
        if obj is not None:
            fields = ("user", *fields)
        if not is_manager(request.user):
            fields = (*fields, "capacity")
        return fields

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "user":
            kwargs["queryset"] = db_field.related_model.objects.filter(
                is_staff=True, agent__isnull=True
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("name"), ordering="user__username")
    def display_name(self, agent: Agent) -> str:
        return agent.display_name

    @admin.display(description=_("load"))
    def workload(self, agent: Agent) -> str:
        return f"{agent.load} / {agent.capacity}"

    @admin.display(
        description=Agent._meta.get_field("last_seen").verbose_name, ordering="last_seen"
    )
    def seen(self, agent: Agent) -> str:
        """On the reader's clock, in the reader's short form (06.12.26, 21:05 in German)."""
        return when(agent.last_seen) or "—"

    @admin.display(description=_("languages"))
    def languages(self, agent: Agent) -> str:
        return ", ".join(
            f"{language_label(s.tag)} · {s.get_proficiency_display()}" for s in agent.skills.all()
        )

    def save_model(self, request: HttpRequest, obj: Agent, form: Any, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        changed = set(form.changed_data)
        plain = [name for name in PLAIN_PREFERENCES if name in changed]
        if plain:
            obj.save(update_fields=[*plain, "updated_at"])
        if "capacity" in changed:
            obj.capacity = form.initial["capacity"]  # the service compares old and new
            agent_set_capacity(agent=obj, capacity=form.cleaned_data["capacity"])
        if "status" in changed:
            agent_set_status(agent=obj, status=form.cleaned_data["status"])

    def save_formset(
        self,
        request: HttpRequest,
        form: Any,
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        if formset.model is not AgentLanguage:
            super().save_formset(request, form, formset, change)
            return
        # what the admin's change message reads; the service does the writing
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if not formset.has_changed():
            return
        skills = {
            f.cleaned_data["tag"]: f.cleaned_data["proficiency"]
            for f in formset.forms
            if f.cleaned_data.get("tag") and not f.cleaned_data.get("DELETE")
        }
        agent_set_skills(agent=form.instance, skills=skills)
