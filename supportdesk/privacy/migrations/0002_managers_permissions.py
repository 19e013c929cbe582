"""Managers may see the audit trail and run the privacy desk (the admin checks the role too)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

APPS = ("audit", "privacy")


def grant(apps, schema_editor):
    for label in APPS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    managers, _ = Group.objects.get_or_create(name="managers")
    managers.permissions.add(*Permission.objects.filter(content_type__app_label__in=APPS))


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("audit", "0001_initial"),
        ("agents", "0002_roles"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
