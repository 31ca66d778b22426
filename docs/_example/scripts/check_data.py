"""Check the processed data against what the model relies on, and report in Markdown."""

import argparse
import sys
from pathlib import Path

import torch

Rule = tuple[str, bool, str]  # (what is checked, passed, what was seen)


def check_split(folder: Path, split: str, min_samples: int) -> list[Rule]:
    """The data contract for one split of data/processed."""
    images = torch.load(folder / f"{split}_images.pt")
    targets = torch.load(folder / f"{split}_targets.pt")
    shares = torch.bincount(targets.clamp(0, 9), minlength=10).float() / len(targets)
    in_range = targets.dtype == torch.int64 and 0 <= targets.min() and targets.max() <= 9
    balanced = bool(((shares > 0.07) & (shares < 0.13)).all())
    return [
        (
            f"{split}: images are N x 1 x 28 x 28",
            images.shape[1:] == (1, 28, 28),
            str(tuple(images.shape)),
        ),
        (
            f"{split}: one target per image",
            len(images) == len(targets),
            f"{len(images)} / {len(targets)}",
        ),
        (
            f"{split}: targets are int64 in 0-9",
            bool(in_range),
            f"{targets.dtype}, {targets.min()}-{targets.max()}",
        ),
        (
            f"{split}: at least {min_samples} samples",
            len(targets) >= min_samples,
            str(len(targets)),
        ),
        (f"{split}: every class holds 7-13 %", balanced, f"{shares.min():.3f}-{shares.max():.3f}"),
    ]


def to_markdown(title: str, rules: list[Rule]) -> str:
    """One Markdown table with a row per rule, under a heading."""
    rows = [f"| {name} | {'pass' if ok else '**FAIL**'} | {seen} |" for name, ok, seen in rules]
    header = [f"### {title}", "", "| rule | result | seen |", "| --- | --- | --- |"]
    return "\n".join([*header, *rows, "", ""])


def main() -> None:
    """Check both splits, append the table to the report and exit 1 if a rule is broken."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path, nargs="?", default=Path("data/processed"))
    parser.add_argument("--min-train", type=int, default=20_000)
    parser.add_argument("--min-test", type=int, default=4_000)
    parser.add_argument("--report", type=Path, default=Path("reports/gate.md"))
    args = parser.parse_args()

    rules = check_split(args.folder, "train", args.min_train)
    rules += check_split(args.folder, "test", args.min_test)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    with args.report.open("a") as report:
        report.write(to_markdown("Data contract", rules))
    failed = [name for name, ok, _ in rules if not ok]
    for name in failed:
        print(f"data contract broken: {name}", file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
