"""nox's environments: one per group of sessions, made anew when nox's Python changed."""

from __future__ import annotations

import sys
from pathlib import Path

from packaging.specifiers import SpecifierSet
from tools.environments import share

SUPPORTED = SpecifierSet(">=3.11")
RUNNING = f"{sys.version_info.major}.{sys.version_info.minor}"


def environment(path: Path, version: str) -> Path:
    (path / "bin").mkdir(parents=True)
    (path / "bin" / "python").symlink_to(sys.executable)
    (path / "pyvenv.cfg").write_text(f"home = /usr/bin\nversion = {version}.7\n")
    return path


def test_sessions_of_a_group_share_the_first_environment(tmp_path: Path):
    environment(tmp_path / "html", RUNNING)
    environment(tmp_path / "pdf", RUNNING)  # from before environments were shared
    assert share(tmp_path, ["html", "pdf", "book"], SUPPORTED) == ""
    assert (tmp_path / "pdf").readlink() == Path("html")
    assert (tmp_path / "book").readlink() == Path("html")
    assert not (tmp_path / "html").is_symlink()
    assert share(tmp_path, ["html", "pdf", "book"], SUPPORTED) == ""  # nothing more to do


def test_an_environment_of_another_python_is_made_anew(tmp_path: Path):
    environment(tmp_path / "tests", "3.10")
    (tmp_path / "browser").symlink_to("tests")
    said = share(tmp_path, ["tests", "browser"], SUPPORTED)
    assert said.startswith("tests: made with Python 3.10, nox runs on ")
    assert not (tmp_path / "tests").exists()
    assert not (tmp_path / "browser").is_symlink()


def test_a_link_to_a_deleted_environment_is_dropped(tmp_path: Path):
    (tmp_path / "pdf").symlink_to("html")
    assert share(tmp_path, ["html", "pdf"], SUPPORTED) == ""
    assert not (tmp_path / "pdf").is_symlink()  # nox creates pdf's environment itself
