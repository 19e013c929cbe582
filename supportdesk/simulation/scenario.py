"""A simulation scenario: load a YAML/JSON file, validate it, and turn it into typed data.

The format (see docs/subsystems/simulation.md and seeds/scenarios/):

    name, date (YYYY-MM-DD), timezone (the hub's), hours (24), drain_hours (4),
    sla_target_minutes (first assignment), policy {fallback_after_seconds,
    reclaim_after_seconds | null, continuity}, languages_file (fallback chains),
    profile (24 hourly weights), handle_time {mean_minutes, cv, distribution},
    languages {tag: {daily + profile? | hourly[24], fallbacks?, handle_time?}},
    agents [{group, count, capacity, skills {tag: native|fluent|basic},
             shift {start, end, timezone, stagger_minutes}?}]

Unknown keys are errors, so a typo never silently changes a what-if.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from django.utils.translation import gettext as _

from supportdesk.routing.policy import Proficiency
from supportdesk.routing.rules import Mode

DISTRIBUTIONS = ("lognormal", "exponential", "fixed")
HOURS_PER_DAY = 24


class ScenarioError(ValueError):
    """A scenario that cannot be simulated; the message names the offending field."""


@dataclass(frozen=True, slots=True)
class HandleTime:
    mean_seconds: float
    cv: float = 1.0  # coefficient of variation (standard deviation ÷ mean), log-normal only
    distribution: str = "lognormal"


@dataclass(frozen=True, slots=True)
class LanguageSpec:
    tag: str
    fallbacks: tuple[str, ...]
    hourly_rates: tuple[float, ...]  # expected arrivals in each hour of the day (24 values)
    handle: HandleTime


@dataclass(frozen=True, slots=True)
class Shift:
    start: time
    end: time  # before `start`: the shift ends the next day
    timezone: str
    stagger_minutes: float = 0.0  # the group's starts (and ends) spread evenly over this


@dataclass(frozen=True, slots=True)
class AgentGroup:
    name: str
    count: int
    capacity: int
    skills: Mapping[str, Proficiency]
    shift: Shift | None  # None: on duty for the whole run


@dataclass(frozen=True, slots=True)
class SimPolicy:
    fallback_after_seconds: float = 300.0
    reclaim_after_seconds: float | None = 600.0
    continuity: bool = False
    mode: Mode = Mode.LANGUAGE_FIRST  # routing/rules.py; `simulate --compare` runs both
    fallback_grace_seconds: float = 120.0
    fallback_unstaffed_after_seconds: float = 0.0
    aging_after_seconds: float = 900.0


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    day: date
    timezone: str
    hours: float
    drain_hours: float
    sla_target_seconds: float
    policy: SimPolicy
    languages: Mapping[str, LanguageSpec]
    agent_groups: tuple[AgentGroup, ...]
    include_database_agents: bool = False  # replay: add the agents stored in the database
    seed: int = 1
    handle: HandleTime = HandleTime(mean_seconds=600.0)  # for languages not listed


class _Reader:
    """Typed access to one mapping of the file, with errors that name the field's path."""

    def __init__(self, data: object, path: str, allowed: Sequence[str]) -> None:
        if not isinstance(data, Mapping):
            raise ScenarioError(_("%(path)s must be a mapping") % {"path": path or "scenario"})
        unknown = sorted(str(key) for key in data if key not in allowed)
        if unknown:
            raise ScenarioError(
                _("%(path)s: unknown field(s) %(fields)s")
                % {"path": path or "scenario", "fields": ", ".join(unknown)}
            )
        self.data, self.path = data, path

    def where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def number(self, key: str, default: float | None, *, minimum: float = 0.0) -> float:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
            raise ScenarioError(
                _("%(field)s must be a number >= %(minimum)s")
                % {"field": self.where(key), "minimum": minimum}
            )
        return float(value)

    def text(self, key: str, default: str | None = None) -> str:
        value = self.data.get(key, default)
        if not isinstance(value, str) or not value:
            raise ScenarioError(
                _("%(field)s must be a non-empty text") % {"field": self.where(key)}
            )
        return value


def _zone(name: str, field: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ScenarioError(
            _("%(field)s: unknown time zone %(zone)s") % {"field": field, "zone": name}
        ) from error
    return name


def _clock(value: object, field: str) -> time:
    try:
        return time.fromisoformat(str(value))
    except ValueError as error:
        raise ScenarioError(
            _("%(field)s must be a time of day like 08:30") % {"field": field}
        ) from error


def _rates(value: object, field: str) -> tuple[float, ...]:
    if (
        not isinstance(value, list)
        or len(value) != HOURS_PER_DAY
        or any(isinstance(v, bool) or not isinstance(v, int | float) or v < 0 for v in value)
    ):
        raise ScenarioError(_("%(field)s must be 24 numbers >= 0") % {"field": field})
    return tuple(float(v) for v in value)


def _handle(data: object, path: str, default: HandleTime | None) -> HandleTime:
    if data is None and default is not None:
        return default
    reader = _Reader(data, path, ("mean_minutes", "cv", "distribution"))
    distribution = reader.text("distribution", "lognormal")
    if distribution not in DISTRIBUTIONS:
        raise ScenarioError(
            _("%(field)s must be one of %(choices)s")
            % {"field": reader.where("distribution"), "choices": ", ".join(DISTRIBUTIONS)}
        )
    mean = reader.number("mean_minutes", None, minimum=0.01) * 60
    return HandleTime(mean_seconds=mean, cv=reader.number("cv", 1.0), distribution=distribution)


def _profile(
    value: object, field: str, named: Mapping[str, tuple[float, ...]]
) -> tuple[float, ...]:
    if isinstance(value, str):
        if value not in named:
            raise ScenarioError(
                _("%(field)s: no profile named %(name)s") % {"field": field, "name": value}
            )
        return named[value]
    return _rates(value, field)


def _language(
    tag: str, data: object, *, profiles: Mapping[str, tuple[float, ...]],
    chains: Mapping[str, Sequence[str]], handle: HandleTime,
) -> LanguageSpec:  # fmt: skip
    path = f"languages.{tag}"
    reader = _Reader(data or {}, path, ("daily", "hourly", "profile", "fallbacks", "handle_time"))
    if "hourly" in reader.data:
        rates = _rates(reader.data["hourly"], reader.where("hourly"))
    else:
        daily = reader.number("daily", None)
        profile = _profile(reader.data.get("profile", ""), reader.where("profile"), profiles)
        total = sum(profile) or 1.0
        rates = tuple(daily * weight / total for weight in profile)
    fallbacks = reader.data.get("fallbacks", chains.get(tag, ()))
    if not isinstance(fallbacks, list | tuple) or not all(isinstance(t, str) for t in fallbacks):
        raise ScenarioError(_("%(field)s must be a list of tags") % {"field": f"{path}.fallbacks"})
    return LanguageSpec(
        tag=tag,
        fallbacks=tuple(fallbacks),
        hourly_rates=rates,
        handle=_handle(reader.data.get("handle_time"), f"{path}.handle_time", handle),
    )


def _skills(data: object, path: str) -> dict[str, Proficiency]:
    if not isinstance(data, Mapping) or not data:
        raise ScenarioError(_("%(field)s must map tags to proficiencies") % {"field": path})
    skills = {}
    for tag, level in data.items():
        try:
            skills[str(tag)] = Proficiency[str(level).upper()]
        except KeyError as error:
            raise ScenarioError(
                _("%(field)s: proficiency must be native, fluent or basic")
                % {"field": f"{path}.{tag}"}
            ) from error
    return skills


def _shift(data: object, path: str, hub_zone: str) -> Shift | None:
    if data is None:
        return None
    reader = _Reader(data, path, ("start", "end", "timezone", "stagger_minutes"))
    return Shift(
        start=_clock(reader.data.get("start"), reader.where("start")),
        end=_clock(reader.data.get("end"), reader.where("end")),
        timezone=_zone(reader.text("timezone", hub_zone), reader.where("timezone")),
        stagger_minutes=reader.number("stagger_minutes", 0.0),
    )


def _group(data: object, index: int, hub_zone: str) -> AgentGroup:
    path = f"agents[{index}]"
    reader = _Reader(data, path, ("group", "count", "capacity", "skills", "shift"))
    return AgentGroup(
        name=reader.text("group", f"group-{index + 1}"),
        count=int(reader.number("count", 1)),
        capacity=int(reader.number("capacity", 5, minimum=1)),
        skills=_skills(reader.data.get("skills"), reader.where("skills")),
        shift=_shift(reader.data.get("shift"), reader.where("shift"), hub_zone),
    )


POLICY_KEYS = (
    "fallback_after_seconds", "reclaim_after_seconds", "continuity", "mode",
    "fallback_grace_seconds", "fallback_unstaffed_after_seconds", "aging_after_seconds",
)  # fmt: skip


def _policy(data: object) -> SimPolicy:
    reader = _Reader(data or {}, "policy", POLICY_KEYS)
    reclaim = reader.data.get("reclaim_after_seconds", 600)
    mode = reader.text("mode", Mode.LANGUAGE_FIRST.value)
    if mode not in set(Mode):
        raise ScenarioError(
            _("%(field)s must be one of %(choices)s")
            % {"field": reader.where("mode"), "choices": ", ".join(Mode)}
        )
    return SimPolicy(
        fallback_after_seconds=reader.number("fallback_after_seconds", 300),
        reclaim_after_seconds=None
        if reclaim is None
        else reader.number("reclaim_after_seconds", 0),
        continuity=bool(reader.data.get("continuity", False)),
        mode=Mode(mode),
        fallback_grace_seconds=reader.number("fallback_grace_seconds", 120),
        fallback_unstaffed_after_seconds=reader.number("fallback_unstaffed_after_seconds", 0),
        aging_after_seconds=reader.number("aging_after_seconds", 900),
    )


def _chains(reader: _Reader, base_dir: Path) -> dict[str, list[str]]:
    if "languages_file" not in reader.data:
        return {}
    path = base_dir / reader.text("languages_file")
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
        return {str(e["tag"]): list(e.get("fallbacks", [])) for e in entries}
    except (OSError, yaml.YAMLError, KeyError, TypeError) as error:
        raise ScenarioError(
            _("languages_file %(path)s cannot be read: %(error)s") % {"path": path, "error": error}
        ) from error


FIELDS = (
    "name", "date", "timezone", "hours", "drain_hours", "sla_target_minutes", "policy",
    "languages_file", "profiles", "profile", "handle_time", "languages", "agents",
    "include_database_agents", "seed",
)  # fmt: skip


def scenario_parse(*, data: object, base_dir: Path) -> Scenario:
    """Validate a decoded scenario (`base_dir` resolves `languages_file`)."""
    reader = _Reader(data, "", FIELDS)
    zone = _zone(reader.text("timezone", "Europe/Amsterdam"), "timezone")
    try:
        day = date.fromisoformat(str(reader.data.get("date", "2026-03-02")))
    except ValueError as error:
        raise ScenarioError(_("date must look like 2026-03-02")) from error
    named = reader.data.get("profiles") or {}
    if not isinstance(named, Mapping):
        raise ScenarioError(_("profiles must map names to 24 hourly weights"))
    profiles = {str(k): _rates(v, f"profiles.{k}") for k, v in named.items()}
    profiles[""] = _profile(reader.data.get("profile", [1] * HOURS_PER_DAY), "profile", profiles)
    handle = _handle(reader.data.get("handle_time", {"mean_minutes": 10}), "handle_time", None)
    chains = _chains(reader, base_dir)
    languages = reader.data.get("languages") or {}
    if not isinstance(languages, Mapping):
        raise ScenarioError(_("languages must map tags to arrival rates"))
    groups = reader.data.get("agents") or []
    if not isinstance(groups, list):
        raise ScenarioError(_("agents must be a list of agent groups"))
    return Scenario(
        name=reader.text("name", "scenario"),
        day=day,
        timezone=zone,
        hours=reader.number("hours", 24, minimum=0.01),
        drain_hours=reader.number("drain_hours", 4),
        sla_target_seconds=reader.number("sla_target_minutes", 10) * 60,
        policy=_policy(reader.data.get("policy")),
        languages={
            str(tag): _language(str(tag), spec, profiles=profiles, chains=chains, handle=handle)
            for tag, spec in languages.items()
        },
        agent_groups=tuple(_group(group, i, zone) for i, group in enumerate(groups)),
        include_database_agents=bool(reader.data.get("include_database_agents", False)),
        seed=int(reader.number("seed", 1)),
        handle=handle,
    )


def scenario_load(*, path: Path) -> Scenario:
    """Read a `.yaml`/`.yml`/`.json` scenario file (JSON is YAML, so one parser reads both)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ScenarioError(
            _("cannot read scenario %(path)s: %(error)s") % {"path": path, "error": error}
        ) from error
    return scenario_parse(data=data, base_dir=path.parent)
