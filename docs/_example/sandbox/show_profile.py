"""Print the ten functions with the largest own time in a cProfile file (the profiling module).

``python sandbox/show_profile.py pipeline.prof`` reads what
``python -m cProfile -o pipeline.prof slow_pipeline.py`` wrote.
"""

import pstats
import sys


def show_profile(path: str = "pipeline.prof", top: int = 10) -> None:
    """Sort by tottime: the time spent in each function itself, not in what it called."""
    stats = pstats.Stats(path)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)


if __name__ == "__main__":
    show_profile(*sys.argv[1:2])
