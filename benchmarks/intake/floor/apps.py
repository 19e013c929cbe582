from django.apps import AppConfig


class FloorConfig(AppConfig):
    name = "benchmarks.intake.floor"
    label = "bench_floor"
    default_auto_field = "django.db.models.BigAutoField"
