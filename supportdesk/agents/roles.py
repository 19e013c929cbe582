"""The two staff roles, as Django groups made by a data migration."""

AGENTS_GROUP = "agents"
MANAGERS_GROUP = "managers"

# (app_label, model) -> actions, per role
AGENT_PERMISSIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("tickets", "ticket"): ("view", "change"),
    ("tickets", "message"): ("view", "add"),
    ("tickets", "ticketevent"): ("view",),
    ("tickets", "customer"): ("view",),
    ("agents", "agent"): ("view", "change"),
    ("agents", "agentlanguage"): ("view",),
    ("languages", "language"): ("view",),
    ("macros", "macro"): ("view",),
    ("macros", "macrovariant"): ("view",),
}
MANAGER_APPS = ("tickets", "agents", "languages", "clients", "macros")
# Apps that came later grant their permissions in a data migration of their own (a change here
# reaches no existing database): macros/0002 (agents view, managers all), privacy/0002 (managers:
# audit trail and privacy desk), mail/0002 (managers: mailboxes and the inbound e-mail log;
# agents: nothing). docs/admin.md lists who may do what.
