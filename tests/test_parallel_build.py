"""A parallel build (``-j 2``) writes the same site as a serial one, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import build_book

pytestmark = pytest.mark.book


def files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_a_parallel_build_writes_the_same_site(real_book: Path, tmp_path: Path):
    parallel = build_book(tmp_path / "html", jobs="2")
    serial, forked = files(real_book), files(parallel)
    assert sorted(serial) == sorted(forked)
    assert len(serial) > 100
    differ = [name for name in serial if serial[name] != forked[name]]
    assert differ == []
