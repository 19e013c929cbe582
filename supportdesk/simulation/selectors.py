"""Where simulation reports live, and the latest one (for the managers' dashboard)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from supportdesk.simulation.report import CHART_FILES, REPORT_FILE


@dataclass(frozen=True, slots=True)
class ReportSummary:
    directory: Path
    name: str
    created_at: datetime
    hub: dict[str, object]  # the report's hub figures (see metrics.report_build)
    charts: tuple[Path, ...]


def reports_root() -> Path:
    """`var/simulations/` under the project (git-ignored)."""
    return Path(settings.BASE_DIR) / "var" / "simulations"


def latest_report(*, root: Path | None = None) -> ReportSummary | None:
    """The most recently written report.json under `root`, or None when there is none."""
    found = sorted(
        (root or reports_root()).glob(f"*/{REPORT_FILE}"), key=lambda p: p.stat().st_mtime
    )
    if not found:
        return None
    path = found[-1]
    data = json.loads(path.read_text(encoding="utf-8"))
    return ReportSummary(
        directory=path.parent,
        name=str(data.get("scenario", path.parent.name)),
        created_at=datetime.fromtimestamp(path.stat().st_mtime, tz=UTC),
        hub=dict(data.get("hub", {})),
        charts=tuple(path.parent / name for name in CHART_FILES if (path.parent / name).exists()),
    )
