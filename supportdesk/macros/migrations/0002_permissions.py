"""Agents may view macros (and apply them from a ticket); managers may add, change and delete."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AGENT_ACTIONS = {"macro": ("view",), "macrovariant": ("view",)}


def grant(apps, schema_editor):
    from supportdesk.agents.roles import AGENTS_GROUP, MANAGERS_GROUP

    app_config = apps.get_app_config("macros")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    agents, _ = Group.objects.get_or_create(name=AGENTS_GROUP)
    managers, _ = Group.objects.get_or_create(name=MANAGERS_GROUP)
    macros = Permission.objects.filter(content_type__app_label="macros")
    codenames = [f"{action}_{model}" for model, actions in AGENT_ACTIONS.items() for action in actions]
    agents.permissions.add(*macros.filter(codename__in=codenames))
    managers.permissions.add(*macros)


class Migration(migrations.Migration):
    dependencies = [
        ("macros", "0001_initial"),
        ("agents", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
