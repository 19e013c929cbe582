from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="sla_paused_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="SLA clock stopped at"),
        ),
        migrations.AddField(
            model_name="ticket",
            name="sla_paused_seconds",
            field=models.PositiveIntegerField(default=0, verbose_name="SLA time stopped (s)"),
        ),
        migrations.AddField(
            model_name="ticket",
            name="first_response_breached_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="first response breached at"
            ),
        ),
        migrations.AddField(
            model_name="ticket",
            name="resolution_breached_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="resolution breached at"),
        ),
    ]
