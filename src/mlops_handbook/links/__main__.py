"""``python -m mlops_handbook.links``; the commands live in :mod:`mlops_handbook.links.cli`."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
