# Indexes for the managers' dashboard: each figure reads "tickets whose <timestamp> is after T"
# (benchmarks/results/dashboard.md shows the sequential scans they replace at 1M tickets).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tickets", "0002_ticket_sla_clock")]

    operations = [
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["assigned_at"], name="ticket_assigned_at"),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["first_response_at"], name="ticket_first_response_at"),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["solved_at"], name="ticket_solved_at"),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                condition=models.Q(first_response_due_at__isnull=False),
                fields=["first_response_due_at"],
                name="ticket_first_response_due",
            ),
        ),
    ]
