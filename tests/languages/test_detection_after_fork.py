"""gunicorn forks its workers from a master that loaded the detector: a worker must still
detect languages enabled after start-up (lingua's preloading hangs in a forked child)."""

from __future__ import annotations

import os
import time

from supportdesk.languages.detection import CombinedScorer


def _exit_code_within(pid: int, seconds: float) -> int | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.05)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return None


def test_a_forked_worker_detects_languages_enabled_after_start_up() -> None:
    # given a scorer loaded (models preloaded) in the parent, as gunicorn's master does
    scorer = CombinedScorer()
    scorer.load(frozenset({"en", "de", "fr", "da", "nb", "sv"}))
    scorer.best("Where is my order? It has not arrived yet.", frozenset({"en", "de", "fr"}))

    pid = os.fork()
    if pid == 0:  # the worker: Nynorsk was enabled after it started (and Swedish disabled)
        code = 1
        try:  # a Scandinavian text: lingua is asked, with a language set the master never built
            found = scorer.best(
                "Jeg har endnu ikke modtaget min ordre. Kan I tjekke, hvor pakken er?",
                frozenset({"en", "da", "nb", "nn"}),
            )
            code = 0 if found is not None and found[0] == "da" else 2
        finally:
            os._exit(code)

    # then the worker answers (it used to hang for good) and answers right
    assert _exit_code_within(pid, 30) == 0
