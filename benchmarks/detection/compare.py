"""Compare the offline language detectors on the evaluation corpus (docs/adr/0007).

    .venv/bin/python benchmarks/detection/compare.py

Each detector runs in its own child process so that its resident memory is its own. For each:
accuracy of the primary language over tests/languages/corpus (all texts, and subject-length
texts of 15-40 characters), the exact tag (pt-PT/pt-BR, zh-Hans/zh-Hant) when the
customer's country is the language's home (CLDR likely region: NO for nb, BR for
pt-BR), how many texts reach the ticket threshold (0.5) and right, how many junk
texts ("ok 123") wrongly do, latency per text, and RSS after loading and after the run. A last
child measures a web worker: Django set up with the project's settings and the default detector
loaded. Prints a table and writes benchmarks/results/detection.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from supportdesk.languages.detection import Scorer

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "tests" / "languages" / "corpus"
RESULTS = ROOT / "benchmarks" / "results" / "detection.md"
THRESHOLD = 0.5
COUNTRY_FOR = {"pt-PT": "PT", "pt-BR": "BR", "zh-Hant": "TW", "zh-Hans": "CN"}
JUNK = ["ok 123", "12345", "👍👍👍", "ok", "???", "Order 5521", "iPhone 13", "thx", "asap!!", "n/a"]
SCORERS = ["lingua-high", "lingua-low", "fasttext-lite", "lingua-low+fasttext"]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def corpus() -> dict[str, list[str]]:
    return {
        path.stem: json.loads(path.read_text("utf-8")) for path in sorted(CORPUS.glob("*.json"))
    }


def make_scorer(name: str) -> Scorer:
    from supportdesk.languages import detection

    scorers: dict[str, Scorer] = {
        "lingua-high": detection.LinguaScorer(high_accuracy=True),
        "lingua-low": detection.LinguaScorer(high_accuracy=False),
        "fasttext-lite": detection.FastTextScorer(),
        "lingua-low+fasttext": detection.CombinedScorer(),
    }
    return scorers[name]  # constructing a scorer loads nothing: only `load` does


def run_one(name: str) -> dict[str, float | str]:
    from supportdesk.languages.detection import detect_language
    from supportdesk.languages.refinement import base_language, maximise

    texts = corpus()
    tags = list(texts)
    home = {
        tag: COUNTRY_FOR.get(tag) or maximise(base_language(tag), None, None)[2] for tag in tags
    }
    scorer = make_scorer(name)
    started = time.perf_counter()
    scorer.load(frozenset(base_language(tag) for tag in tags))
    load_seconds = time.perf_counter() - started
    rss_loaded = rss_mb()
    right = total = subject_right = subjects = exact = confident_right = 0
    timings = []
    for tag, items in texts.items():
        for text in items:
            started = time.perf_counter()
            found = detect_language(text, country=None, candidates=tags, scorer=scorer)
            timings.append(time.perf_counter() - started)
            ok = found is not None and base_language(found.tag) == base_language(tag)
            right += ok
            total += 1
            if 15 <= len(text) <= 40:
                subjects += 1
                subject_right += ok
            confident_right += ok and found is not None and found.confidence >= THRESHOLD
            with_country = detect_language(text, country=home[tag], candidates=tags, scorer=scorer)
            exact += with_country is not None and with_country.tag == tag
    junk = [detect_language(text, country=None, candidates=tags, scorer=scorer) for text in JUNK]
    return {
        "scorer": name,
        "accuracy": right / total,
        "subject_accuracy": subject_right / subjects,
        "exact_tag": exact / total,
        "confident_right": confident_right / total,
        "junk_confident": sum(1 for found in junk if found and found.confidence >= THRESHOLD),
        "ms_mean": statistics.mean(timings) * 1000,
        "ms_p95": statistics.quantiles(timings, n=20)[-1] * 1000,
        "load_s": load_seconds,
        "rss_loaded_mb": rss_loaded,
        "rss_after_mb": rss_mb(),
        "texts": total,
        "subjects": subjects,
    }


def run_worker() -> dict[str, float | str]:
    """RSS of a web worker: Django set up with the project's settings, detector loaded."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    import django

    django.setup()
    import config.urls  # noqa: F401 - a worker imports the URLconf, views and DRF
    from supportdesk.languages.detection import detect_language, load_detector

    before = rss_mb()
    tags = list(corpus())
    load_detector(tags)
    detect_language("Where is my parcel?", country=None, candidates=tags)
    return {"scorer": "web worker", "rss_django_mb": before, "rss_after_mb": rss_mb()}


def child(*args: str) -> dict[str, float | str]:
    output = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True, timeout=600
    ).stdout
    result: dict[str, float | str] = json.loads(output.strip().splitlines()[-1])
    return result


def table(rows: list[dict[str, float | str]], worker: dict[str, float | str]) -> str:
    head = (
        "| detector | primary language | subject-length | exact tag, home country given "
        "| confident and right | junk confident | ms/text mean | ms/text p95 "
        "| load s | RSS loaded MB | RSS after run MB |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    )
    lines = [
        f"| {r['scorer']} | {r['accuracy']:.1%} | {r['subject_accuracy']:.1%} "
        f"| {r['exact_tag']:.1%} | {r['confident_right']:.1%} | {r['junk_confident']}/{len(JUNK)} "
        f"| {r['ms_mean']:.2f} | {r['ms_p95']:.2f} | {r['load_s']:.2f} "
        f"| {r['rss_loaded_mb']:.0f} | {r['rss_after_mb']:.0f} |"
        for r in rows
    ]
    first = rows[0]
    return (
        head
        + "\n".join(lines)
        + f"\n\nCorpus: {first['texts']} texts in {len(corpus())} languages, "
        f"{first['subjects']} of them subject-length (15-40 characters). "
        f"Web worker (Django + URLconf, then the default detector loaded): "
        f"{worker['rss_django_mb']:.0f} MB before, {worker['rss_after_mb']:.0f} MB after.\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", choices=[*SCORERS, "worker"])
    args = parser.parse_args()
    if args.child == "worker":
        print(json.dumps(run_worker()))
        return
    if args.child:
        print(json.dumps(run_one(args.child)))
        return
    rows = [child("--child", name) for name in SCORERS]
    worker = child("--child", "worker")
    text = table(rows, worker)
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        "# Language detection: comparison\n\n"
        "`.venv/bin/python benchmarks/detection/compare.py` "
        f"(Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; targets: primary language "
        ">= 98%, subject-length >= 96%, web worker < 250 MB RSS).\n\n" + text,
        "utf-8",
    )


if __name__ == "__main__":
    main()
