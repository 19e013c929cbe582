"""State changes of agents: profile upsert, skills, status, capacity."""

from collections.abc import Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from supportdesk.agents.models import Agent, AgentLanguage
from supportdesk.agents.roles import AGENTS_GROUP, MANAGERS_GROUP
from supportdesk.core.exceptions import InvalidInput
from supportdesk.core.publishing import publish_on_commit
from supportdesk.languages import tags


def fill_agent_on_commit(*, agent_id: int) -> None:
    """After commit, ask routing to fill the agent's free room. Routing is a higher layer
    (ADR 0017): its task is published by name. (A duplicate nudge is harmless.)"""
    publish_on_commit("routing.fill_agent", agent_id, queue="routing")


def parse_skills(spec: str) -> dict[str, str]:
    """`nl:native,en:fluent` → {"nl": "native", "en": "fluent"}; a bad tag or level raises."""
    skills: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        tag, _sep, level = item.partition(":")
        level = (level or AgentLanguage.Proficiency.FLUENT).strip().lower()
        if level not in AgentLanguage.Proficiency.values:
            raise InvalidInput(
                _("Unknown proficiency “{level}” for {tag}.").format(level=level, tag=tag),
                field="languages",
            )
        try:
            skills[tags.normalise(tag.strip())] = level
        except tags.InvalidTag as exc:
            raise InvalidInput(
                _("“{tag}” is not a valid BCP 47 language tag.").format(tag=exc.tag),
                field="languages",
            ) from exc
    return skills


def agent_set_skills(*, agent: Agent, skills: Mapping[str, str]) -> None:
    """Replace the agent's skills with `skills` (tag → proficiency, tags already normalised)."""
    with transaction.atomic():
        agent.skills.exclude(tag__in=list(skills)).delete()
        for tag, proficiency in skills.items():
            AgentLanguage.objects.update_or_create(
                agent=agent,
                tag=tag,
                defaults={"proficiency": proficiency, "language_base": tags.primary(tag)},
            )


def agent_upsert(
    *,
    username: str,
    skills: Mapping[str, str],
    capacity: int | None = None,
    online: bool = False,
    manager: bool = False,
    password: str | None = None,
) -> tuple[Agent, str]:
    """Create or update a staff user with an agent profile; return it and its API token. A
    password must pass AUTH_PASSWORD_VALIDATORS (InvalidInput with
    their messages)."""
    user_model = get_user_model()
    with transaction.atomic():
        user, _created = user_model.objects.get_or_create(username=username)
        user.is_staff = True
        if password:
            try:
                validate_password(password, user=user)
            except ValidationError as exc:
                raise InvalidInput(" ".join(exc.messages), field="password") from exc
            user.set_password(password)
        elif not user.has_usable_password() and not user.password:
            user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=AGENTS_GROUP))
        if manager:
            user.groups.add(Group.objects.get(name=MANAGERS_GROUP))
        agent, _created = Agent.objects.get_or_create(user=user)
        fields = ["status", "last_seen", "away_by_sweep"]
        agent.away_by_sweep = False
        if capacity is not None:
            agent.capacity = capacity
            fields.append("capacity")
        agent.status = Agent.Status.ONLINE if online else Agent.Status.OFFLINE
        agent.last_seen = timezone.now() if online else agent.last_seen
        agent.save(update_fields=fields)
        agent_set_skills(agent=agent, skills=skills)
        if online:
            fill_agent_on_commit(agent_id=agent.id)
        token, _created = Token.objects.get_or_create(user=user)
    return agent, token.key


def agent_token_rotate(*, agent: Agent) -> str:
    """A new API token for the agent's user; the old one stops working at once."""
    with transaction.atomic():
        Token.objects.filter(user_id=agent.user_id).delete()
        token = Token.objects.create(user_id=agent.user_id)
    return str(token.key)


def agent_set_status(*, agent: Agent, status: str) -> Agent:
    """Set online/away/offline and mark the agent seen now."""
    if status not in Agent.Status.values:
        raise InvalidInput(
            _("“{status}” is not a valid status.").format(status=status), field="status"
        )
    agent.status = status
    agent.last_seen = timezone.now()
    agent.away_by_sweep = False  # the agent's own choice from now on
    agent.save(update_fields=["status", "last_seen", "away_by_sweep"])
    if status == Agent.Status.ONLINE:
        fill_agent_on_commit(agent_id=agent.id)
    return agent


def agent_set_capacity(*, agent: Agent, capacity: int) -> Agent:
    if capacity < 0:
        raise InvalidInput(_("Capacity cannot be negative."), field="capacity")
    raised = capacity > agent.capacity
    agent.capacity = capacity
    agent.save(update_fields=["capacity"])
    if raised:
        fill_agent_on_commit(agent_id=agent.id)
    return agent


def agent_claim_slot(*, agent_id: int, force: bool = False) -> bool:
    """Add one ticket to the agent's load: one conditional UPDATE, so it never passes capacity
    (unless `force`, a manager's or agent's explicit choice). True when the slot was claimed.
    Call inside the transaction that assigns the ticket."""
    agents = Agent.objects.filter(id=agent_id)
    if not force:
        agents = agents.filter(load__lt=F("capacity"))
    return agents.update(load=F("load") + 1, last_assigned_at=timezone.now()) == 1


def agent_release_slot(*, agent_id: int) -> None:
    """Take one ticket off the agent's load (never below zero). Call inside the transaction that
    moves the ticket out of `open`."""
    Agent.objects.filter(id=agent_id, load__gt=0).update(load=F("load") - 1)
    fill_agent_on_commit(agent_id=agent_id)


def agent_seen(*, agent: Agent) -> bool:
    """A heartbeat: the agent is active (a workspace page, its open workspace's ping, an API
    call). At most one conditional UPDATE per quarter of AGENT_TTL_SECONDS (none while the loaded
    `last_seen` is fresh), so an agent who works stays available and the sweep only sends away
    agents who left. An agent the sweep sent `away` (heartbeats stopped, not its choice) is back
    `online` with this heartbeat and routing fills its room; one who chose away/offline stays so.
    True when written."""
    now = timezone.now()
    if agent_back(agent=agent, now=now):
        return True
    every = timedelta(seconds=max(settings.AGENT_TTL_SECONDS // 4, 1))
    if agent.last_seen is not None and now - agent.last_seen < every:
        return False
    fresh_enough = Q(last_seen__isnull=False) & Q(last_seen__gte=now - every)
    written = Agent.objects.filter(id=agent.pk).exclude(fresh_enough).update(last_seen=now) == 1
    if written:
        agent.last_seen = now
    return written


def agent_back(*, agent: Agent, now: datetime) -> bool:
    """Online again if the sweep had sent the agent away: one conditional UPDATE (a concurrent
    status choice by the agent wins, since it clears the mark). True when it came back."""
    if not agent.away_by_sweep:
        return False
    back = (
        Agent.objects.filter(id=agent.pk, status=Agent.Status.AWAY, away_by_sweep=True).update(
            status=Agent.Status.ONLINE, away_by_sweep=False, last_seen=now, updated_at=now
        )
        == 1
    )
    agent.away_by_sweep = False
    if back:
        agent.status, agent.last_seen = Agent.Status.ONLINE, now
        fill_agent_on_commit(agent_id=agent.pk)
    return back
