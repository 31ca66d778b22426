"""Does a larger course cost more per page? ``nox -s bench -- --scale N``.

Builds a private copy of the book as it is, and one with every module copied ``N`` times
(each copy a new module in the data; see :func:`.course.scale_course`), each clean and serial
``--runs`` times, and reports the time per page of both, their ratio (the goal: at most
:data:`.scenarios.SCALING_LIMIT`) and the peak memory of each build (the largest resident
size of the build and of any process it waited for).
"""

from __future__ import annotations

from .course import count_words
from .measure import Measurement, repeat, sphinx_html
from .scenarios import Bench, Size, clean, scaling
from .site import pages, staging


def peak(measurement: Measurement) -> float:
    return max(r.peak_mib for r in measurement.runs)


def one_times(bench: Bench) -> tuple[Measurement, Size]:
    """The book as it is, built the way :func:`.scenarios.scaling` builds a larger one."""
    root = bench.book("scale-1")
    result = Measurement("scaling: 1x the modules, serial", unit="ms per page")
    repeat(result, sphinx_html(root, "1"), root, bench.runs, lambda _: clean(root))
    size = Size(len(pages(staging(root))), count_words(root / "docs")["total"], 0, 0)
    result.per_unit = result.wall * 1000 / size.pages
    result.notes.append(f"{size.pages} pages, {size.words:,} words of source")
    return result, Size(size.pages, size.words, result.wall, result.cpu)


def scale_pair(bench: Bench, factor: int) -> list[Measurement]:
    """The 1x and the ``factor`` x build, with their peak memory side by side."""
    one, size = one_times(bench)
    many = scaling(bench, factor, size)
    memory = f"peak memory {peak(one):.0f} MiB at 1x, {peak(many):.0f} MiB at {factor}x"
    many.notes.append(f"{memory} ({peak(many) / peak(one):.2f}x)")
    return [one, many]
