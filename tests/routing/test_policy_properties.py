"""Properties of the language_first rule (routing/rules.py), on the pure policy: match
quality before queue position, fallback as a timed last resort, nothing starves."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from supportdesk.routing.policy import (
    AgentSnapshot,
    Proficiency,
    Rank,
    RoutingPolicy,
    TicketSnapshot,
    base_tag,
    best_skill,
    choose_agent,
    choose_tickets,
    released_recently,
)
from supportdesk.routing.rules import Supply

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
POLICY = RoutingPolicy()  # language_first, fallback after 5 min, grace 2 min, aging 15 min
STEP = timedelta(minutes=1)
TAGS = ["nl", "pt-BR", "pt-PT", "es", "ca", "en"]
CHAINS = {"nl": ("en",), "pt-BR": ("pt-PT", "es"), "pt-PT": ("es",), "es": ("en",), "ca": ("es",)}

skills = st.dictionaries(
    st.sampled_from(TAGS), st.sampled_from(Proficiency), min_size=1, max_size=3
)
waits = st.sampled_from([0, 1, 4, 6, 10, 14, 20]).map(lambda minutes: timedelta(minutes=minutes))


def ticket(ticket_id: int, language: str, since: datetime) -> TicketSnapshot:
    return TicketSnapshot(
        id=ticket_id, language=language, fallbacks=CHAINS.get(language, ()), waiting_since=since
    )


def supply_of(agents: list[AgentSnapshot]) -> dict[str, Supply]:
    """What routing/selectors.speaker_supply reads from the database, for these agents."""
    members: dict[str, set[int]] = {}
    for agent in agents:
        for tag in agent.skills:
            members.setdefault(base_tag(tag), set()).add(agent.id)
    by_id = {a.id: a for a in agents}
    return {
        base: Supply(
            speakers=len(ids),
            free=sum(max(by_id[i].capacity - by_id[i].load, 0) for i in ids),
            busy=sum(min(by_id[i].load, by_id[i].capacity) for i in ids),
        )
        for base, ids in members.items()
    }


agent_now = st.builds(
    AgentSnapshot,
    id=st.integers(1, 1000),
    skills=skills,
    load=st.integers(0, 2),
    capacity=st.integers(1, 4),
    online=st.just(True),
    last_seen=st.just(NOW),
    last_assigned_at=st.none(),
)
waiting_now = st.lists(st.tuples(st.sampled_from(TAGS), waits), min_size=1, max_size=20).map(
    lambda rows: [ticket(i + 1, tag, NOW - waited) for i, (tag, waited) in enumerate(rows)]
)


@settings(max_examples=500)
@given(agent=agent_now, waiting=waiting_now, others=st.lists(agent_now, max_size=4))
def test_an_agent_never_takes_a_fallback_ticket_while_one_of_its_own_languages_waits(
    agent: AgentSnapshot, waiting: list[TicketSnapshot], others: list[AgentSnapshot]
) -> None:
    hub = [agent, *[o for o in others if o.id != agent.id]]
    chosen = set(
        choose_tickets(agent=agent, waiting=waiting, now=NOW, policy=POLICY, supply=supply_of(hub))
    )
    rank = {t.id: skill[0] for t in waiting if (skill := best_skill(agent, t)) is not None}
    taken_fallback = [t for t in waiting if t.id in chosen and rank[t.id] == Rank.FALLBACK]
    # an aged fallback ticket's claim outranks match quality (nothing starves): set aside
    young_fallback = [t for t in taken_fallback if NOW - t.waiting_since < POLICY.aging_after]
    if young_fallback:
        left_close = [
            t
            for t in waiting
            if t.id not in chosen
            and rank.get(t.id, Rank.FALLBACK) <= Rank.SAME_BASE
            and not released_recently(agent.id, t, now=NOW, policy=POLICY)
        ]
        assert left_close == []


@given(agent=agent_now, waiting=waiting_now)
def test_an_agent_takes_its_best_matches_first_queue_order_within_one_rank(
    agent: AgentSnapshot, waiting: list[TicketSnapshot]
) -> None:
    young = [
        replace(t, waiting_since=max(t.waiting_since, NOW - timedelta(minutes=14))) for t in waiting
    ]
    chosen = choose_tickets(agent=agent, waiting=young, now=NOW, policy=POLICY, supply={})
    by_id = {t.id: t for t in young}
    keys = []
    for ticket_id in chosen:
        skill = best_skill(agent, by_id[ticket_id])
        assert skill is not None
        keys.append((skill[0], by_id[ticket_id].waiting_since, ticket_id))
    assert keys == sorted(keys)


@given(
    t=st.sampled_from(TAGS).flatmap(lambda tag: waits.map(lambda w: ticket(1, tag, NOW - w))),
    candidates=st.lists(agent_now, max_size=8, unique_by=lambda a: a.id),
)
def test_a_fallback_speaker_is_chosen_only_as_a_timed_last_resort(
    t: TicketSnapshot, candidates: list[AgentSnapshot]
) -> None:
    decision = choose_agent(ticket=t, candidates=candidates, now=NOW, policy=POLICY)
    winner = decision.winner
    if winner is None or decision.matches[winner].rank != Rank.FALLBACK:
        return
    waited = NOW - t.waiting_since
    close = [
        a for a in candidates if (s := best_skill(a, t)) is not None and s[0] <= Rank.SAME_BASE
    ]
    if waited >= POLICY.aging_after:
        return  # aged: anyone who matches it
    assert not any(a.load < a.capacity for a in close), "a close speaker has room"
    if any(a.load > 0 for a in close):  # speakers who will free a slot
        assert waited >= POLICY.fallback_after


# --- nothing starves: a little hub, minute by minute --------------------------------------
hub_agents = st.lists(
    st.builds(
        AgentSnapshot,
        id=st.integers(1, 50),
        skills=skills,
        load=st.just(0),
        capacity=st.integers(1, 3),
        online=st.just(True),
        last_seen=st.just(NOW),
        last_assigned_at=st.none(),
    ),
    min_size=1,
    max_size=5,
    unique_by=lambda a: a.id,
)


def run_hub(
    agents: list[AgentSnapshot],
    backlog: list[str],
    stream: list[list[str]],
    steps: int,
    policy: RoutingPolicy,
) -> dict[int, int]:
    """Every minute each agent finishes one ticket, then fills (id order); new tickets arrive.
    Agents start full. Returns ticket id → the step it was assigned at."""
    hub = {a.id: replace(a, load=a.capacity) for a in agents}
    waiting = {i + 1: ticket(i + 1, tag, NOW) for i, tag in enumerate(backlog)}
    assigned: dict[int, int] = {}
    next_id = len(backlog) + 1
    for step in range(1, steps + 1):
        now = NOW + step * STEP
        for tag in stream[step % len(stream)] if stream else []:
            waiting[next_id] = ticket(next_id, tag, now - STEP / 2)
            next_id += 1
        hub = {i: replace(a, load=max(a.load - 1, 0), last_seen=now) for i, a in hub.items()}
        for agent_id in sorted(hub):
            agent = hub[agent_id]
            supply = supply_of(list(hub.values()))
            chosen = choose_tickets(
                agent=agent, waiting=waiting.values(), now=now, policy=policy, supply=supply
            )
            for ticket_id in chosen:
                del waiting[ticket_id]
                assigned[ticket_id] = step
            hub[agent_id] = replace(agent, load=agent.load + len(chosen))
    return assigned


@settings(max_examples=60, deadline=None)
@given(
    agents=hub_agents,
    backlog=st.lists(st.sampled_from(TAGS), min_size=1, max_size=12),
    stream=st.lists(st.lists(st.sampled_from(TAGS), max_size=4), min_size=1, max_size=10),
)
def test_a_ticket_some_agent_may_take_is_assigned_within_a_bounded_time(
    agents: list[AgentSnapshot], backlog: list[str], stream: list[list[str]]
) -> None:
    # bound: it ages, then each minute an agent who may take it takes at least one aged
    # ticket, older ones (at most the backlog) first
    aging_steps = POLICY.aging_after // STEP
    bound = aging_steps + len(backlog) + 1
    assigned = run_hub(agents, backlog, stream, bound, POLICY)
    for i, tag in enumerate(backlog):
        t = ticket(i + 1, tag, NOW)
        if any(best_skill(a, t) is not None for a in agents):
            assert i + 1 in assigned, f"{tag} ticket {i + 1} starved"


def test_without_aging_a_fallback_ticket_starves_behind_a_stream_of_exact_tickets() -> None:
    # given one Spanish agent with one slot, a Catalan ticket (nobody speaks Catalan: Spanish
    # is its fallback) and a new Spanish ticket every minute, as fast as the agent solves
    spanish = AgentSnapshot(1, {"es": Proficiency.NATIVE}, 0, 1, True, NOW, None)
    never = replace(POLICY, aging_after=timedelta(days=1))
    # when an hour passes, then without aging the Catalan ticket never gets the slot
    assert 1 not in run_hub([spanish], ["ca"], [["es"]], 60, never)
    # with aging it gets the slot once it has waited ROUTING_AGING_AFTER_SECONDS
    assert run_hub([spanish], ["ca"], [["es"]], 60, POLICY)[1] == POLICY.aging_after // STEP
