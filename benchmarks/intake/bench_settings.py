"""The product's settings plus the floor endpoint; used only by benchmarks/intake/run.py."""

from config.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks.intake.floor"]  # noqa: F405
ROOT_URLCONF = "benchmarks.intake.urls"
