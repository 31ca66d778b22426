"""The bench's results as ``build/bench.json`` and as a table for the terminal."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path
from typing import Any

import sphinx

from .measure import Measurement


def as_json(measurement: Measurement) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": measurement.name}
    if measurement.skipped:
        return {**entry, "skipped": measurement.skipped}
    entry |= {
        "median_wall_s": round(measurement.wall, 3),
        "median_cpu_s": round(measurement.cpu, 3),
        "runs": [
            {
                "wall_s": round(r.wall, 3),
                "cpu_s": round(r.cpu, 3),
                "peak_mib": round(r.peak_mib, 1),
                "load": round(r.load, 2),
            }
            for r in measurement.runs
        ],
        "goal": measurement.goal,
        "met": measurement.met,
        "notes": measurement.notes,
    }
    if measurement.per_unit is not None:
        entry |= {"per_unit": round(measurement.per_unit, 1), "unit": measurement.unit}
    return entry


def write_json(path: Path, results: list[Measurement], words: dict[str, int]) -> None:
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "sphinx": sphinx.__version__,
            "load_at_end": round(os.getloadavg()[0], 2),
        },
        "words_of_source": words,
        "results": [as_json(m) for m in results],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def verdict(measurement: Measurement) -> str:
    if measurement.met is None:
        return ""
    return "yes" if measurement.met else "NO"


def table(results: list[Measurement]) -> str:
    """One row per benchmark: medians, the figure the goal is about, the goal, and whether met."""
    header = ("benchmark", "wall s", "cpu s", "figure", "goal", "met", "peak MiB")
    rows = [header]
    for m in results:
        if m.skipped:
            rows.append((m.name, "-", "-", f"skipped: {m.skipped}", m.goal, "", ""))
            continue
        figure = f"{m.per_unit:.1f} {m.unit}" if m.per_unit is not None else ""
        peak = f"{max(r.peak_mib for r in m.runs):.0f}" if any(r.peak_mib for r in m.runs) else ""
        row = (m.name, f"{m.wall:.2f}", f"{m.cpu:.2f}", figure, m.goal, verdict(m), peak)
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = [f"  {m.name}: {note}" for m in results for note in m.notes]
    return "\n".join([*(line.rstrip() for line in lines), "", *notes])
