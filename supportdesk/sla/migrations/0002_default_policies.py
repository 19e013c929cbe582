"""Default SLA targets, around the clock, so every ticket has deadlines after `migrate`.
Managers change them (or add business hours and per-language policies) in the admin."""

from django.db import migrations

# priority: (name, first response minutes, resolution minutes)
DEFAULTS = {
    4: ("Urgent", 60, 4 * 60),
    3: ("High", 4 * 60, 24 * 60),
    2: ("Normal", 8 * 60, 3 * 24 * 60),
    1: ("Low", 24 * 60, 7 * 24 * 60),
}


def create(apps, schema_editor):
    SlaPolicy = apps.get_model("sla", "SlaPolicy")
    for priority, (name, first_response, resolution) in DEFAULTS.items():
        SlaPolicy.objects.get_or_create(
            priority=priority,
            language="",
            defaults={
                "name": name,
                "first_response_minutes": first_response,
                "resolution_minutes": resolution,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
