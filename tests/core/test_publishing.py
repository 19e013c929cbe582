"""Tasks published by name (ADR 0017): a process that never imported a tasks module (a web
process in eager mode) still finds the task; an unknown name is an error, not a lost nudge."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from supportdesk.core.publishing import task_named

ROOT = Path(__file__).resolve().parents[2]
FRESH_PROCESS = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
import django
django.setup()
from celery import current_app
from supportdesk.core.publishing import task_named
before = "routing.fill_agent" in current_app.tasks or "supportdesk.routing.tasks" in sys.modules
task = task_named("routing.fill_agent")
print(json.dumps({"before": before, "name": task.name, "module": type(task).__module__}))
"""


def in_a_fresh_process(script: str) -> object:
    """Run `script` in a new interpreter; what its last line printed, as JSON."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_fresh_process_finds_a_task_whose_module_it_never_imported() -> None:
    # given a new interpreter that has set Django up and imported no tasks module
    # when it asks for a task by name
    found = in_a_fresh_process(FRESH_PROCESS)
    # then the tasks modules were discovered and the registered task came back
    assert found == {
        "before": False,
        "name": "routing.fill_agent",
        "module": "supportdesk.routing.tasks",
    }


def test_an_unknown_task_name_raises() -> None:
    with pytest.raises(KeyError):
        task_named("routing.no_such_task")


CONCURRENT_FIRST_LOOKUPS = """
import json, os, threading
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
import django
django.setup()
from supportdesk.core.publishing import task_named
names = ["notifications.acknowledge_tickets", "routing.fill_agent", "webhooks.deliver"] * 3
barrier = threading.Barrier(len(names))
errors = []
def look(name):
    barrier.wait(timeout=30)
    try:
        task_named(name)
    except Exception as exc:
        errors.append(type(exc).__name__)
threads = [threading.Thread(target=look, args=(name,)) for name in names]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join(timeout=60)
print(json.dumps(errors))
"""


def test_threads_asking_for_tasks_at_once_in_a_fresh_process_all_find_them() -> None:
    # given a fresh process whose threads (a gthread web worker's first requests) ask for
    # tasks by name at the same moment, before any tasks module was imported
    # then none of them fails: Celery's discovery, entered by a second thread while the first
    # is inside it, returns having imported nothing
    assert in_a_fresh_process(CONCURRENT_FIRST_LOOKUPS) == []
