"""Pass a model only if it is good enough and not worse than the model on main."""

import argparse
import json
import math
import sys
from pathlib import Path

from check_data import Rule, to_markdown


def decide(candidate: float, baseline: float | None, floor: float, tolerance: float) -> list[Rule]:
    """The model contract: an absolute floor, and no real step back from main."""
    rules = [(f"accuracy at least {floor}", candidate >= floor, f"{candidate:.4f}")]
    if baseline is None:
        rules.append(("no worse than main", True, "main has no metrics yet"))
    else:
        change = candidate - baseline
        # isclose: 0.95 - 0.96 is -0.010000000000000009 in floating point, a step of exactly
        # the tolerance, which passes.
        within = change >= -tolerance or math.isclose(change, -tolerance)
        seen = f"{baseline:.4f} -> {candidate:.4f} ({change:+.4f})"
        rules.append((f"no worse than main by more than {tolerance}", within, seen))
    return rules


def main() -> None:
    """Compare the metrics, append the table to the report and exit 1 if the gate closes."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("candidate", type=Path, help="metrics of this pull request")
    parser.add_argument("baseline", type=Path, help="metrics on main; may be missing")
    parser.add_argument("--floor", type=float, default=0.90)
    parser.add_argument("--tolerance", type=float, default=0.01)
    parser.add_argument("--report", type=Path, default=Path("reports/gate.md"))
    args = parser.parse_args()

    candidate = json.loads(args.candidate.read_text())["accuracy"]
    baseline = json.loads(args.baseline.read_text())["accuracy"] if args.baseline.exists() else None
    rules = decide(candidate, baseline, args.floor, args.tolerance)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    with args.report.open("a") as report:
        report.write(to_markdown("Model contract", rules))
    failed = [name for name, ok, _ in rules if not ok]
    for name in failed:
        print(f"model gate closed: {name}", file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
