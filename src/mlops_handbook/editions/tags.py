"""The tagged editions of a repository, and building one of them in a ``git worktree``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

TAG_PREFIX = "edition/"
MONTHS = ["january", "february", "march", "april", "may", "june"]
MONTHS += ["july", "august", "september", "october", "november", "december"]
SLUG = re.compile(rf"(?P<year>\d{{4}})-(?P<month>{'|'.join(MONTHS)})")


class EditionError(RuntimeError):
    """A tag or a build of an edition that cannot be published; the message says what to do."""


@dataclass(frozen=True)
class Edition:
    """One edition: ``2026-january`` (a validated slug, safe in paths and URLs)."""

    slug: str
    commit: str = ""

    @property
    def label(self) -> str:
        found = SLUG.fullmatch(self.slug)
        assert found is not None  # every Edition is made from a validated slug
        return f"{found['month'].title()} {found['year']}"

    @property
    def order(self) -> tuple[int, int]:
        """Newest first: (year, month), for sorting in reverse."""
        found = SLUG.fullmatch(self.slug)
        assert found is not None
        return int(found["year"]), MONTHS.index(found["month"])


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    if done.returncode:
        raise EditionError(f"git {' '.join(args)} failed in {root}:\n{done.stderr.strip()}")
    return done.stdout.strip()


def tagged_editions(root: Path) -> list[Edition]:
    """Every ``edition/<year>-<month>`` tag, newest first; a misnamed one is an error."""
    editions = []
    for tag in git(root, "tag", "--list", f"{TAG_PREFIX}*").splitlines():
        slug = tag.removeprefix(TAG_PREFIX)
        if not SLUG.fullmatch(slug):
            raise EditionError(
                f"The tag {tag!r} does not name an edition. Name edition tags "
                f"{TAG_PREFIX}<year>-<month>, e.g. {TAG_PREFIX}2026-january "
                f"(git tag -d {tag}; git tag {TAG_PREFIX}2026-january <commit>)."
            )
        editions.append(Edition(slug, git(root, "rev-list", "-n", "1", tag)))
    return sorted(editions, key=lambda e: e.order, reverse=True)


def build_edition(root: Path, edition: Edition, target: Path, *, pdf: bool) -> bool:
    """Build ``edition``'s site (with its PDFs) into ``target``; False if already built there.

    The tag is checked out in a temporary worktree and built by its own code (its ``src/`` goes
    first on ``PYTHONPATH``) with the packages of this environment.
    """
    stamp = target.with_name(f"{target.name}.built")  # the commit it was built from
    wanted = f"{edition.commit} pdf={pdf}\n"
    if stamp.is_file() and stamp.read_text() == wanted:
        return False
    worktree = root / "build" / ".editions" / edition.slug
    shutil.rmtree(worktree, ignore_errors=True)
    git(root, "worktree", "prune")
    git(root, "worktree", "add", "--detach", "--force", str(worktree), edition.commit)
    try:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(worktree / "src"), *sys.path])}
        steps = [["-m", "mlops_handbook.pdf"]] if pdf else []
        steps.append(["-m", "mlops_handbook.build", "html"])
        for step in steps:
            print(f"{edition.label}: python {' '.join(step)}", flush=True)
            done = subprocess.run([sys.executable, *step], cwd=worktree, env=env, check=False)
            if done.returncode:
                raise EditionError(
                    f"The {edition.label} edition (tag {TAG_PREFIX}{edition.slug}) did not build; "
                    f"its output is above. Fix the tag or delete it (git tag -d "
                    f"{TAG_PREFIX}{edition.slug})."
                )
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(worktree / "build" / "html", target, symlinks=False)
        stamp.write_text(wanted)
    finally:
        git(root, "worktree", "remove", "--force", str(worktree))
    return True
