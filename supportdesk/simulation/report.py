"""A run's report on the terminal (a table), as `report.json`, and as PNG charts."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

REPORT_FILE = "report.json"
CHART_FILES = ("queue.png", "wait.png")
COLUMNS = 4  # charts per row


def _pyplot() -> Any:
    """matplotlib, imported when a chart is drawn: the dashboard imports this module for its
    file names, and a web worker should not carry matplotlib and numpy (~50 MB) for them."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no display, safe in a server process
    from matplotlib import pyplot

    return pyplot


def _row(name: str, figures: Mapping[str, Any]) -> str:
    wait = figures["wait_seconds"]
    return (
        f"{name:<10}{figures['arrivals']:>9}{figures['unassigned']:>7}"
        f"{wait['mean']:>8.0f}{wait['p50']:>7.0f}{wait['p90']:>7.0f}{wait['p99']:>7.0f}"
        f"{figures['sla_attainment']:>8.1%}{figures['fallback_share']:>9.1%}"
        f"{figures['peak_queue']:>7}"
    )


def table_format(report: Mapping[str, Any]) -> str:
    """The terminal table: one row per language (busiest first) and the hub."""
    header = (
        f"{_('language'):<10}{_('tickets'):>9}{_('left'):>7}{_('mean s'):>8}{_('p50 s'):>7}"
        f"{_('p90 s'):>7}{_('p99 s'):>7}{_('in SLA'):>8}{_('fallback'):>9}{_('peak q'):>7}"
    )
    hub = report["hub"]
    lines = [header, "-" * len(header)]
    lines += [_row(tag, figures) for tag, figures in report["languages"].items()]
    lines += ["-" * len(header), _row(_("hub"), hub)]
    lines.append(
        _(
            "occupancy %(occupancy).1f%%, %(agents)d agents, %(reclaimed)d reclaimed, "
            "SLA target %(target)d s, %(events)d events"
        )
        % {
            "occupancy": 100 * hub["occupancy"],
            "agents": hub["agents"],
            "reclaimed": hub["reclaimed"],
            "target": report["sla_target_seconds"],
            "events": report["events"],
        }
    )
    return "\n".join(lines)


def _grid(
    series: Mapping[str, Sequence[float | None]], *, step_hours: float, title: str, ylabel: str
) -> Any:
    tags = list(series)
    rows = max(math.ceil(len(tags) / COLUMNS), 1)
    figure, axes = _pyplot().subplots(
        rows, COLUMNS, figsize=(4 * COLUMNS, 2.2 * rows), sharex=True, squeeze=False
    )
    for index, axis in enumerate(axes.flat):
        if index >= len(tags):
            axis.set_visible(False)
            continue
        values = series[tags[index]]
        hours = [i * step_hours for i in range(len(values))]
        axis.plot(hours, [math.nan if v is None else v for v in values], linewidth=1)
        axis.set_title(tags[index], fontsize=9)
        axis.set_xticks(range(0, int(hours[-1] if hours else 24) + 1, 6))
        axis.tick_params(labelsize=7)
        if index % COLUMNS == 0:
            axis.set_ylabel(ylabel, fontsize=8)
    figure.suptitle(title)
    figure.tight_layout()
    return figure


def charts_write(*, report: Mapping[str, Any], directory: Path) -> list[Path]:
    """queue.png (longest queue per 5 minutes) and wait.png (mean wait by arrival time), per
    language, over the simulated hours."""
    series = report["series"]
    queue = {_("hub"): series["hub_queue"], **series["queue"]}
    written = []
    for name, data, step, title, ylabel in (
        (
            CHART_FILES[0], queue, series["queue_bucket_seconds"] / 3600,
            _("Waiting tickets over the day (hours from midnight)"), _("tickets"),
        ),
        (
            CHART_FILES[1], series["wait"], series["wait_bucket_seconds"] / 3600,
            _("Mean wait for first assignment, by arrival time"), _("seconds"),
        ),
    ):  # fmt: skip
        figure = _grid(data, step_hours=step, title=title, ylabel=ylabel)
        path = directory / name
        figure.savefig(path, dpi=80)
        _pyplot().close(figure)
        written.append(path)
    return written


def report_write(*, report: Mapping[str, Any], directory: Path, charts: bool = True) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / REPORT_FILE
    path.write_text(json.dumps(report, indent=1, sort_keys=False), encoding="utf-8")
    if charts:
        charts_write(report=report, directory=directory)
    return path
