"""`make bench`: run every benchmark in turn; each prints its figures and writes
benchmarks/results/<name>.md. Pass names to run only some: `run_all.py intake routing`."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = {
    "detection": HERE / "detection" / "compare.py",
    "intake": HERE / "intake" / "run.py",
    "attachments": HERE / "attachments" / "run.py",
    "email": HERE / "email" / "run.py",
    "routing": HERE / "routing" / "run.py",
    "dashboard": HERE / "dashboard" / "run.py",
    "dashboard-waits": HERE / "dashboard" / "waits.py",
    "simulation": HERE / "simulation" / "run.py",
    "privacy": HERE / "privacy" / "run.py",
}


def main(names: list[str]) -> int:
    failed = []
    for name in names or list(SCRIPTS):
        print(f"== {name}", flush=True)
        result = subprocess.run([sys.executable, str(SCRIPTS[name])], cwd=HERE.parent, check=False)
        if result.returncode:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
