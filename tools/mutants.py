"""Mutation testing for maintainers: does the suite fail when the code breaks?

``nox -s mutants`` runs mutmut 3 (configured in ``[tool.mutmut]`` of pyproject.toml) over the
modules where a silent bug hurts most, then writes every surviving mutant with its diff to
``build/mutants/report.md`` and prints the kill rate per module. mutmut runs, for each mutant,
only the tests that called the mutated function in its first, recording run of the suite.

Survivors that no test can kill (the mutant behaves exactly like the code) are explained in
``tests/mutants-equivalent.md``, matched by function and mutated line, so they keep matching
when mutmut renumbers its mutants after an edit. The kill rate leaves them out.

``python tools/mutants.py [--reuse] [--report-only] [--max-children N] [GLOB ...]``: GLOBs pick
mutants by name (e.g. ``'mlops_handbook.validate.*'``) for a quick look at one module while
writing tests; with ``--reuse`` the other mutants keep their last results and the report still
covers every module. ``--report-only`` writes the report of the last run again.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "build" / "mutants" / "report.md"
EQUIVALENT = ROOT / "tests" / "mutants-equivalent.md"
THRESHOLD = 90.0

# Mutant names are "<module>.x_<function>__mutmut_<n>" (methods: "xǁ<Class>ǁ<method>").
# Of build.py only the publish step is in scope; the rest starts Sphinx and is tested end to end.
SCOPE = (
    "mlops_handbook.loader.*",
    "mlops_handbook.validate.*",
    "mlops_handbook.domain.*",
    "mlops_handbook.directives.*",
    "mlops_handbook.links.internal.*",
    "mlops_handbook.links.page_cache.*",
    "mlops_handbook.links.locate.*",
    "mlops_handbook.build.x_publish*",
    "mlops_handbook.build.x_link_or_copy*",
    "mlops_handbook.build.x_point_link*",
    "mlops_handbook.pdf.outline.*",
    "mlops_handbook.pdf.contents.*",
)
DETECTED = {"killed", "timeout", "segfault", "caught by type check"}
UNCHECKED = "not checked"  # not run (yet): left out of the kill rate, counted in the report


@dataclass(frozen=True)
class Mutant:
    name: str
    status: str
    diff: str

    @property
    def module(self) -> str:
        return re.sub(r"\.xǁ.*|\.x_.*", "", self.name)

    @property
    def function(self) -> str:
        return self.name.rsplit("__mutmut_", 1)[0]

    @property
    def changed(self) -> tuple[str, ...]:
        """The diff's removed and added lines: what an explanation in EQUIVALENT is matched by."""
        return changed_lines(self.diff)


def changed_lines(diff: str) -> tuple[str, ...]:
    """``-`` and ``+`` lines of a diff, indentation dropped (but not the sign)."""
    headers = ("+++", "---")
    changed = [line for line in diff.splitlines() if line[:1] in ("+", "-")]
    return tuple(f"{line[0]} {line[1:].strip()}" for line in changed if line[:3] not in headers)


def equivalents(path: Path) -> dict[tuple[str, tuple[str, ...]], str]:
    """Explanations by (function, changed lines): a ``###`` heading, a diff, the reason."""
    found: dict[tuple[str, tuple[str, ...]], str] = {}
    pattern = r"^### (\S+)\n+```diff\n(.*?)```\n+(.*?)(?=^### |\Z)"
    for match in re.finditer(pattern, path.read_text(encoding="utf-8"), re.M | re.S):
        found[match[1], changed_lines(match[2])] = " ".join(match[3].split())
    return found


def run_mutmut(globs: list[str], max_children: int) -> None:
    command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(max_children)]
    subprocess.run([*command, *globs], cwd=ROOT, check=True)


def collect(globs: list[str]) -> list[Mutant]:
    """Every mutant the run judged, with its diff (mutmut's own API, in the repository root)."""
    from fnmatch import fnmatch  # noqa: PLC0415 - kept beside the imports it goes with

    from mutmut.mutation.data import SourceFileMutationData  # noqa: PLC0415 - nox installs it
    from mutmut.mutation.diff_apply import get_diff_for_mutant  # noqa: PLC0415
    from mutmut.stats import status_by_exit_code  # noqa: PLC0415
    from mutmut.utils.file_utils import walk_mutatable_files  # noqa: PLC0415

    mutants = []
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        for name, code in sorted(data.exit_code_by_key.items()):
            if not any(fnmatch(name, glob) for glob in globs):
                continue
            status = status_by_exit_code[code]
            diff = "" if status in DETECTED | {UNCHECKED} else get_diff_for_mutant(name, path=path)
            mutants.append(Mutant(name, status, diff))
    return mutants


Rates = dict[str, tuple[int, int, float | None]]


def kill_rates(mutants: list[Mutant], explained: set[str]) -> Rates:
    """Per module: mutants checked, equivalent ones, and the share of the others killed."""
    rates: Rates = {}
    for module in sorted({m.module for m in mutants}):
        own = [m for m in mutants if m.module == module and m.status != UNCHECKED]
        counted = [m for m in own if m.name not in explained]
        killed = sum(m.status in DETECTED for m in counted)
        rate = 100.0 * killed / len(counted) if counted else None
        rates[module] = (len(own), len(own) - len(counted), rate)
    return rates


def percent(rate: float | None) -> str:
    return "not run" if rate is None else f"{rate:.1f} %"


def write_report(mutants: list[Mutant], why: dict[str, str]) -> str:
    rates = kill_rates(mutants, set(why))
    statuses = Counter(m.status for m in mutants)
    lines = [
        "# Mutation testing report",
        "",
        f"{len(mutants)} mutants: "
        + ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
        + f". Equivalent mutants (explained in {EQUIVALENT.relative_to(ROOT)}) are left out "
        "of the kill rate.",
        "",
        "| module | mutants checked | equivalent | kill rate |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [f"| {mod} | {n} | {eq} | {percent(rate)} |" for mod, (n, eq, rate) in rates.items()]
    survivors = [m for m in mutants if m.status not in DETECTED | {UNCHECKED}]
    unexplained = [m for m in survivors if m.name not in why]
    lines += ["", f"## Survivors without an explanation ({len(unexplained)})", ""]
    for mutant in unexplained:
        lines += [f"### {mutant.name} ({mutant.status})", "", "```diff", mutant.diff.strip(), "```"]
        lines.append("")
    lines += [f"## Equivalent mutants ({len(survivors) - len(unexplained)})", ""]
    lines += [f"- `{m.name}`: {why[m.name]}" for m in survivors if m.name in why]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("globs", nargs="*", help="mutant names to run (default: every module)")
    parser.add_argument("--reuse", action="store_true", help="keep mutants/ from the last run")
    parser.add_argument("--report-only", action="store_true", help="report the last run again")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args(argv)
    os.chdir(ROOT)  # mutmut reads pyproject.toml and writes mutants/ in the working directory
    if not (args.reuse or args.report_only):
        # A fresh copy: results of an earlier version of the code never count for this one.
        shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    if not args.report_only:
        run_mutmut(args.globs or list(SCOPE), args.max_children)
    mutants = collect(list(SCOPE))
    known = equivalents(EQUIVALENT)
    why = {
        m.name: known[m.function, m.changed]
        for m in mutants
        if m.status not in DETECTED | {UNCHECKED} and (m.function, m.changed) in known
    }
    report = write_report(mutants, why)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(report, encoding="utf-8")
    rates = kill_rates(mutants, set(why))
    width = max(len(module) for module in rates)
    print(f"\n{'module':<{width}}  mutants  kill rate")
    for module, (count, _, rate) in rates.items():
        print(f"{module:<{width}}  {count:>7}  {percent(rate):>10}")
    print(f"Survivors and their diffs: {REPORT.relative_to(ROOT)}")
    unchecked = sum(m.status == UNCHECKED for m in mutants)
    if unchecked:
        print(f"{unchecked} mutants not checked: run without GLOBs to check them all")
    low = [module for module, (*_, rate) in rates.items() if rate is not None and rate < THRESHOLD]
    if low:
        print(f"Below {THRESHOLD:.0f} %: {', '.join(low)}", file=sys.stderr)
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main())
