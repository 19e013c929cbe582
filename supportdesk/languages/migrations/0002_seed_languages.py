"""Enable the hub's languages at `migrate` time, so a fresh database takes tickets at once."""

from django.db import migrations


def seed(apps, schema_editor):
    from supportdesk.languages.seeding import language_seeds

    Language = apps.get_model("languages", "Language")
    for position, entry in enumerate(language_seeds()):
        Language.objects.get_or_create(
            tag=entry["tag"],
            defaults={"fallbacks": entry["fallbacks"], "position": position, "enabled": True},
        )


class Migration(migrations.Migration):
    dependencies = [("languages", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
