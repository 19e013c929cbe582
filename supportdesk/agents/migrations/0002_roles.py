"""Create the `agents` and `managers` groups with their model permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def make_groups(apps, schema_editor):
    from supportdesk.agents.roles import (
        AGENT_PERMISSIONS,
        AGENTS_GROUP,
        MANAGER_APPS,
        MANAGERS_GROUP,
    )

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    agents, _ = Group.objects.get_or_create(name=AGENTS_GROUP)
    managers, _ = Group.objects.get_or_create(name=MANAGERS_GROUP)
    for (app_label, model), actions in AGENT_PERMISSIONS.items():
        codenames = [f"{action}_{model}" for action in actions]
        agents.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
    managers.permissions.add(*Permission.objects.filter(content_type__app_label__in=MANAGER_APPS))


class Migration(migrations.Migration):
    dependencies = [
        ("agents", "0001_initial"),
        ("tickets", "0001_initial"),
        ("clients", "0001_initial"),
        ("languages", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(make_groups, migrations.RunPython.noop)]
