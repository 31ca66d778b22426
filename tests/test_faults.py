"""A build stopped in any phase leaves a whole site, old or new, and the next build repairs it.

Each case builds the small handbook, edits it (a TA renamed, a session renamed), then runs
the build in a subprocess that is killed or interrupted at one point (see fault_build.py).
The published site must then be byte-identical to the old site or to a clean build of the
edited sources, never a mix; one more build must publish the clean build's site.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mlops_handbook.search.index import FRESH_DIR

from .conftest import REPO
from .fault_build import PHASES
from .repo import build, clean_site, differences, make_repo, site_files

Edit = Callable[[Path, str, str], None]


def edit_sources(docs: Path, edit: Edit) -> None:
    edit(docs / "_data" / "tas.yaml", "Björn Ørsted", "Bjørn Ørsted")
    edit(docs / "_data" / "sessions.yaml", "title: Second things", "title: Second, renamed")


@pytest.fixture(scope="module")
def new_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """A clean build of the edited sources."""
    layout = make_repo(tmp_path_factory.mktemp("edited"))
    edit_sources(layout.source, _replace_once)
    return clean_site(layout, tmp_path_factory.mktemp("clean"))


def _replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("phase", list(PHASES))
def test_a_stopped_build_leaves_a_whole_site(
    tmp_path: Path, edit: Edit, new_site: dict[str, bytes], phase: str
):
    layout = make_repo(tmp_path / "repo")
    assert build(layout) == 0
    old_site = site_files(layout.site)
    edit_sources(layout.source, edit)
    stopped = subprocess.run(
        [sys.executable, "-m", "tests.fault_build", phase, str(layout.root)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert stopped.returncode != 0, stopped.stdout + stopped.stderr
    if "Ctrl-C" in phase:  # the build stopped Pagefind, if it had started, and cleared its work
        assert not (layout.staging("html") / FRESH_DIR).exists()
    published = site_files(layout.site)
    mixed = min(differences(published, old_site), differences(published, new_site), key=len)
    assert mixed == [], f"after a stop in {phase}, the site is neither old nor new"
    assert build(layout) == 0
    assert differences(site_files(layout.site), new_site) == []
