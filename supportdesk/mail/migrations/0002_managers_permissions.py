"""Managers manage mailboxes and read the inbound e-mail log; agents get nothing here (they
open a message's original e-mail from a ticket they may see). Nobody deletes log rows, so a
mailbox that has received mail cannot be deleted by a manager either (disable it instead)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MANAGER_CODENAMES = (
    "view_mailbox",
    "add_mailbox",
    "change_mailbox",
    "delete_mailbox",
    "view_inboundmessage",
)


def grant(apps, schema_editor):
    from supportdesk.agents.roles import MANAGERS_GROUP

    app_config = apps.get_app_config("mail")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    managers, _ = Group.objects.get_or_create(name=MANAGERS_GROUP)
    managers.permissions.add(
        *Permission.objects.filter(content_type__app_label="mail", codename__in=MANAGER_CODENAMES)
    )


def revoke(apps, schema_editor):
    from supportdesk.agents.roles import MANAGERS_GROUP

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    managers = Group.objects.filter(name=MANAGERS_GROUP).first()
    if managers is not None:
        managers.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="mail", codename__in=MANAGER_CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("mail", "0001_initial"),
        ("agents", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
