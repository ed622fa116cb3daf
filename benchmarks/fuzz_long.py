"""The long mode of the fuzz tests (issue 7): the same ``tests/fuzz`` properties as CI, with
fresh random examples and enough of them for ``--cases`` requests in total (100,000 by
default), then a summary: requests checked, time, rate, and any falsifying example.

    python benchmarks/fuzz_long.py [--cases 100000] [--seed N] [--examples N] [-- pytest args]

CI runs the short mode (``POCKET_OP_FUZZ_EXAMPLES``, default 80 examples per test, a fixed
seed). Here rounds of fresh examples run until ``--cases`` requests are checked; each round
prints its seed and example count, which ``--seed`` and ``--examples`` replay.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_ROUNDS = 10


def count_tests(python: str) -> int:
    """How many test items ``tests/fuzz`` collects (parametrized ones count each)."""
    collected = subprocess.run(
        [python, "-m", "pytest", "-q", "--collect-only", "-p", "no:cacheprovider",
         "tests/fuzz"], cwd=ROOT, capture_output=True, text=True, check=True)
    match = re.search(r"(\d+) tests? collected", collected.stdout)
    return int(match.group(1)) if match else 1


def run_round(python: str, examples: int, seed: int, extra: list[str]) -> tuple[int, int]:
    """One pytest run of tests/fuzz: (pytest exit code, requests checked)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        env = {**os.environ, "POCKET_OP_FUZZ_EXAMPLES": str(examples),
               "POCKET_OP_FUZZ_RANDOM": "1", "POCKET_OP_FUZZ_REPORT": str(report)}
        result = subprocess.run(
            [python, "-m", "pytest", "-W", "error", "-q", "-p", "no:cacheprovider",
             "-o", "timeout=0",  # thousands of examples outlast CI's per-test timeout
             f"--hypothesis-seed={seed}", "tests/fuzz", *extra], cwd=ROOT, env=env)
        checked = json.loads(report.read_text())["requests"] if report.exists() else 0
    return result.returncode, checked


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000,
                        help="requests to send and check in total (default 100000)")
    parser.add_argument("--examples", type=int, help="examples per test in the first round "
                        "(default: --cases divided by the number of tests)")
    parser.add_argument("--seed", type=int, default=random.randrange(2**32))
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments (after --)")
    args = parser.parse_args()
    python = sys.executable
    tests = count_tests(python)
    examples = args.examples or max(1, math.ceil(args.cases / tests))
    print(f"pocket-op fuzz, long mode: {tests} tests, {args.cases:,} requests to check, "
          f"seed {args.seed}")
    print(f"python {platform.python_version()}, {platform.platform()}, {os.cpu_count()} CPUs",
          flush=True)
    checked, started, code = 0, time.monotonic(), 0
    # Rounds until enough requests are checked (some tests run a quarter of the examples,
    # some examples send several requests): each round has its own seed, printed.
    for round_number in range(1, MAX_ROUNDS + 1):
        seed = args.seed + round_number - 1
        print(f"\nround {round_number}: {examples} examples per test, seed {seed}", flush=True)
        code, count = run_round(python, examples, seed, args.pytest_args)
        checked += count
        if code != 0 or checked >= args.cases or count == 0:
            break
        examples = max(1, math.ceil(examples * (args.cases - checked) / count))
    elapsed = time.monotonic() - started
    rate = checked / elapsed if elapsed else 0.0
    print(f"\nrequests checked: {checked:,} in {elapsed:,.0f} s ({rate:,.0f} per second)")
    if rate:
        print(f"at this rate 100,000 requests take about {100_000 / rate / 60:,.0f} min")
    print("result: " + ("no failure" if code == 0 else
                        f"FAILURES (pytest exit {code}); replay the round with its --seed and "
                        f"--examples {examples}"))
    return code


if __name__ == "__main__":
    sys.exit(main())
