"""Setting changes made in the admin (Django writes a LogEntry for each) join the audit trail
when they touch a model that steers routing, SLAs, mail, macros or access."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver

from supportdesk.audit.models import AuditAction
from supportdesk.audit.services import Actor, audit_record

# app labels whose models are settings (a model of an app not installed is simply never seen)
SETTING_APPS = frozenset(
    {"sla", "languages", "agents", "clients", "notifications", "privacy", "mail", "macros",
     "routing", "auth"}
)  # fmt: skip
VERBS = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}


@receiver(post_save, sender=LogEntry, dispatch_uid="audit-admin-setting-change")
def _admin_change(sender: type[LogEntry], instance: LogEntry, created: bool, **_: Any) -> None:
    content_type = instance.content_type
    if not created or content_type is None or content_type.app_label not in SETTING_APPS:
        return
    user = instance.user
    audit_record(
        actor=Actor(label=user.get_username(), user_id=user.pk),
        action=AuditAction.SETTING_CHANGE,
        object_type=f"{content_type.app_label}.{content_type.model}",
        object_id=instance.object_id or "",
        object_label=instance.object_repr,
        via="admin",
        detail={
            "change": VERBS.get(instance.action_flag, str(instance.action_flag)),
            "message": instance.get_change_message(),
        },
    )
