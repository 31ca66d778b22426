"""``python -m mlops_handbook.search SITE``: index a built site for the search box."""

from __future__ import annotations

import argparse
from pathlib import Path

from .index import index_site


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m mlops_handbook.search", description=__doc__)
    parser.add_argument("site", type=Path, help="the folder sphinx-build wrote the HTML site to")
    index_site(parser.parse_args().site)


if __name__ == "__main__":
    main()
