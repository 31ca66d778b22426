"""The one date a print build stamps on its PDFs, so that the same sources give the same bytes.

``SOURCE_DATE_EPOCH`` wins (the reproducible-builds convention, which Sphinx also follows);
else the time of the repository's last commit; else, outside a git checkout (an unpacked
sdist), the first day of the edition, which is fixed by the data.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

ENV_VAR = "SOURCE_DATE_EPOCH"


def source_date(root: Path, fallback: dt.date, environ: Mapping[str, str] = os.environ) -> int:
    """Seconds since 1970 (UTC) that stand for "when these sources were written"."""
    if environ.get(ENV_VAR, "").strip().isdigit():
        return int(environ[ENV_VAR])
    try:
        shown = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        shown = ""
    if shown.isdigit():
        return int(shown)
    return int(dt.datetime.combine(fallback, dt.time(), dt.UTC).timestamp())


def pdf_date(epoch: int) -> str:
    """The date in the PDF's own format: ``D:20260105093000Z``."""
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("D:%Y%m%d%H%M%SZ")


def iso_date(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%d")
