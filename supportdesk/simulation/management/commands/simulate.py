import sys
from argparse import ArgumentParser
from datetime import datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from tqdm import tqdm

from supportdesk.simulation.compare import compare_format
from supportdesk.simulation.report import table_format
from supportdesk.simulation.scenario import ScenarioError, scenario_load
from supportdesk.simulation.services import RunRequest, simulation_compare, simulation_run


def _moment(text: str, zone: ZoneInfo) -> datetime:
    """`2026-03-02`, `2026-03-02T09:00` or with an offset; naive means the hub's time zone."""
    moment = parse_datetime(text)
    if moment is None:
        day = parse_date(text)
        if day is None:
            raise CommandError(_("not a date or date-time: %(text)s") % {"text": text})
        moment = datetime.combine(day, time(0))
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


class Command(BaseCommand):
    help = (
        "Simulate a day of the hub through the real routing policy: a scenario file, or a "
        "replay of stored tickets. Prints a table; writes report.json and charts."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("scenario", type=Path, help="YAML or JSON scenario file")
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument("--replay", nargs=2, metavar=("FROM", "TO"), default=None)
        parser.add_argument("--out", type=Path, default=None, help="default var/simulations/…")
        parser.add_argument("--no-charts", action="store_true")
        parser.add_argument(
            "--compare",
            action="store_true",
            help="run the old and the language_first routing policy on the same tickets",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        replay = None
        try:
            if options["replay"]:
                zone = ZoneInfo(scenario_load(path=options["scenario"]).timezone)
                replay = (
                    _moment(options["replay"][0], zone),
                    _moment(options["replay"][1], zone),
                )
            bar = tqdm(total=0, unit="s", unit_scale=True, file=sys.stderr, disable=None)
            position = [0.0]

            def start(horizon: float) -> None:
                bar.reset(total=round(horizon))
                position[0] = 0.0

            def advance(now: float) -> None:
                bar.update(round(now - position[0]))
                position[0] = round(now)

            run = (simulation_compare if options["compare"] else simulation_run)(
                request=RunRequest(
                    scenario_path=options["scenario"],
                    seed=options["seed"],
                    replay=replay,
                    out=options["out"],
                    charts=not options["no_charts"],
                ),
                progress=advance,
                on_start=start,
            )
            bar.close()
        except ScenarioError as error:
            raise CommandError(str(error)) from error
        text = compare_format(run.report) if options["compare"] else table_format(run.report)
        self.stdout.write(text)
        self.stdout.write(_("report: %(path)s") % {"path": run.path})
