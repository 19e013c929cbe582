"""Fail when a non-test module passes 800 lines (STYLE §2i); warn past 400."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HARD, SOFT = 800, 400


def main() -> int:
    failed = False
    for path in sorted([*ROOT.glob("supportdesk/**/*.py"), *ROOT.glob("config/*.py")]):
        if "migrations" in path.parts:
            continue
        lines = len(path.read_text("utf-8").splitlines())
        if lines > HARD:
            sys.stderr.write(f"{path.relative_to(ROOT)}: {lines} lines (limit {HARD})\n")
            failed = True
        elif lines > SOFT:
            sys.stderr.write(f"warning: {path.relative_to(ROOT)}: {lines} lines (soft {SOFT})\n")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
