"""Crash safety, short mode: a few rounds of ``benchmarks/crash_safety.py`` (kill -9 under
registration, token and consent load, restart, every acknowledged write still there, a
clean database). The long mode is ``python benchmarks/crash_safety.py --rounds 20``."""

import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "crash_safety.py"
ROUNDS = 2


def load_harness():
    spec = importlib.util.spec_from_file_location("crash_safety", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_every_acknowledged_write_survives_kill_9_and_the_database_stays_intact(tmp_path):
    harness = load_harness()
    lines = []
    results = harness.run(ROUNDS, workers=9, seed=7, base=tmp_path, report=lines.append)
    for result in results:
        assert result.missing == {"clients": 0, "tokens": 0, "consents": 0}, lines
        assert result.refused == {}, lines
        assert result.integrity == "ok", lines
        assert result.exit_code == 0, lines
    assert sum(r.acknowledged["clients"] for r in results) > 0, lines
    assert sum(r.acknowledged["tokens"] for r in results) > 0, lines
