"""Build the site the way maintainers do: into a staging folder, check, then publish.

Sphinx writes incrementally into ``build/.staging/html``. Only a build with no warnings and
no broken internal link is published, so a failed build never replaces a good site. A Sphinx
build that did not finish (failed, stopped or killed) leaves a mark, and the next one starts
from scratch, since Sphinx saves its environment before it writes the pages. Publishing copies
the staging folder to a new folder under ``build/.site/`` and points the ``build/html`` link at
it with one rename, so ``build/html`` is always one whole site. One build runs at a time.
``python -m mlops_handbook.build html [--clean] [-- SPHINX-ARGS]``.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NoReturn

from sphinx.cmd.build import build_main

from .links.cli import main as links_main
from .lock import build_lock
from .pdf.names import PDF_DIR, published_pdfs
from .progress import install as show_progress
from .prune import PAGE_CACHE
from .publish_files import compress_beside, not_published
from .search.index import (
    FRESH_DIR,
    INDEX_DIR,
    drop_requested_index,
    index_when_written,
    requested_index,
)
from .unchanged import inputs_digest, unchanged_since_published

FEW_EDITS = 3
PAGEFIND_STAMP = "pagefind.digest"

# How far a build has got, for ``nox -s serve``: "checked", the staged pages passed every
# check (only the search index and publishing remain); "published", build/html is the new site.
Stage = Literal["checked", "published"]
Reached = Callable[[Stage], None]


def nowhere(stage: Stage) -> None:
    """Nobody is told how far the build got (``nox -s html``)."""


@dataclass(frozen=True)
class Layout:
    """Where each build reads and writes, relative to the repository root."""

    root: Path

    @property
    def source(self) -> Path:
        return self.root / "docs"

    def staging(self, builder: str) -> Path:
        return self.root / "build" / ".staging" / builder

    def doctrees(self, builder: str) -> Path:
        return self.root / "build" / ".doctrees" / builder

    def unfinished(self, builder: str) -> Path:
        """Present while a Sphinx build runs, and after one that did not succeed."""
        return self.root / "build" / ".staging" / f"{builder}.unfinished"

    @property
    def site(self) -> Path:
        """The published site: a link to the newest folder under :attr:`versions`."""
        return self.root / "build" / "html"

    @property
    def versions(self) -> Path:
        return self.root / "build" / ".site"

    @property
    def inputs(self) -> Path:
        """The digest of what the published site was built from (see :mod:`.unchanged`)."""
        return self.root / "build" / ".staging" / "html.inputs"

    @property
    def lock(self) -> Path:
        return self.root / "build" / ".lock"

    @property
    def pdf(self) -> Path:
        """The folder of the printed PDFs (the book and one per session)."""
        return self.root / "build" / "pdf"


def sphinx_args(
    layout: Layout,
    builder: str,
    *,
    jobs: str = "auto",
    tags: Sequence[str] = (),
    extra: Sequence[str] = (),
) -> list[str]:
    """sphinx-build's arguments for the book: warnings are errors, references are checked."""
    args = ["-b", builder, "-W", "--keep-going", "-n", "-q", "-j", jobs]
    args += ["-c", str(layout.root), "-d", str(layout.doctrees(builder))]
    for tag in tags:
        args += ["-t", tag]
    return [*args, *extra, str(layout.source), str(layout.staging(builder))]


def sphinx_build(
    layout: Layout,
    builder: str,
    *,
    clean: bool = False,
    jobs: str = "auto",
    tags: Sequence[str] = (),
    extra: Sequence[str] = (),
) -> int:
    """Run sphinx-build in this process with the book's strict flags; return its status.

    Starts from scratch when asked, or when the last build into this folder did not succeed:
    its environment may say pages are done that were never written, or were written with
    warnings that an incremental build would not repeat.
    """
    unfinished = layout.unfinished(builder)
    if unfinished.exists() and not clean:
        print(
            f"The last {builder} build did not finish (it failed or was stopped), "
            "so every page is built again.",
            file=sys.stderr,
        )
        clean = True
    if clean:
        shutil.rmtree(layout.staging(builder), ignore_errors=True)
        shutil.rmtree(layout.doctrees(builder), ignore_errors=True)
    unfinished.parent.mkdir(parents=True, exist_ok=True)
    unfinished.touch()
    progress = show_progress()
    progress.show(f"starting Sphinx ({builder})", start=True)
    try:
        status = build_main(sphinx_args(layout, builder, jobs=jobs, tags=tags, extra=extra))
    except SystemExit as stop:  # invalid course data: already reported with file and line
        status = stop.code if isinstance(stop.code, int) else 2
    finally:
        progress.finish()
    if status == 0:
        unfinished.unlink()
    return status


def point_link(link: Path, target: Path) -> None:
    """Make ``link`` a symbolic link to ``target`` with one rename: never absent, never half.

    A real folder at ``link`` (a site published before versions) is first moved aside; that
    happens once.
    """
    temporary = link.with_name(f".{link.name}.next")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(os.path.relpath(target, link.parent), target_is_directory=True)
    if link.is_dir() and not link.is_symlink():
        link.rename(tempfile.mkdtemp(prefix="before-", dir=target.parent))
    os.replace(temporary, link)


def link_or_copy(src: Path, dst: Path, published: Path) -> None:
    """Hard-link the published file to ``dst`` when ``src`` has not changed since; else copy.

    A one-page rebuild changes a few files of hundreds; linking the rest from the published
    site (whose files are only ever replaced, never written in place) makes publishing nearly
    free. As in rsync, a file is unchanged when its size and modification time match; when
    only the time differs, when its bytes match: Sphinx writes some static files and Pagefind
    its whole index again on every build, mostly the same bytes, which then need no copy and
    no compressed copy of their own.
    """
    try:
        now, then = src.stat(), published.stat()
        if now.st_size == then.st_size and (
            now.st_mtime_ns == then.st_mtime_ns or filecmp.cmp(src, published, shallow=False)
        ):
            os.link(published, dst)
            return
    except OSError:  # a new file, or no hard links on this file system
        pass
    shutil.copy2(src, dst)


def publish(layout: Layout, search_index: Callable[[], Path] | None = None) -> Path:
    """Copy the checked staging build (and the last good PDF) to a new version, then switch.

    Until the switch ``build/html`` is the previous site, after it the new one; older versions
    (and any left by a publish that was stopped) are deleted only after the switch. With
    ``search_index``, Pagefind finishes while the pages are copied: the folder it returns
    becomes the new version's ``_pagefind/``, in place of the staged one.
    """
    layout.versions.mkdir(parents=True, exist_ok=True)
    new = Path(tempfile.mkdtemp(prefix="site-", dir=layout.versions))
    new.chmod(0o755)
    staged = layout.staging("html")
    published = not_published(staged)

    def ignore(directory: str, names: list[str]) -> set[str]:
        later = {INDEX_DIR, FRESH_DIR} if search_index and Path(directory) == staged else set()
        return published(directory, names) | later

    shutil.copytree(
        staged, new, ignore=ignore, copy_function=linking(staged, layout.site), dirs_exist_ok=True
    )
    compress_beside(new, layout.site)
    if layout.pdf.is_dir():
        (new / PDF_DIR).mkdir(exist_ok=True)
        for pdf in sorted(layout.pdf.glob("*.pdf")):
            link_or_copy(pdf, new / PDF_DIR / pdf.name, layout.site / PDF_DIR / pdf.name)
    if search_index is not None:
        index = search_index()
        copy = linking(index, layout.site / INDEX_DIR)
        shutil.copytree(index, new / INDEX_DIR, copy_function=copy)
    point_link(layout.site, new)
    for old in layout.versions.iterdir():
        if old != new:
            shutil.rmtree(old, ignore_errors=True)
    return layout.site


def linking(source: Path, published: Path) -> Callable[[str, str], str]:
    """A ``copy_function`` for copying ``source``, whose files were published in ``published``."""

    def copy(src: str, dst: str) -> str:
        link_or_copy(Path(src), Path(dst), published / Path(src).relative_to(source))
        return dst

    return copy


def publish_pdf(layout: Layout) -> None:
    """Put freshly printed PDFs into the published site, if there is one, each atomically."""
    if not (layout.site.is_dir() and layout.pdf.is_dir()):
        return
    folder = layout.site / PDF_DIR
    folder.mkdir(exist_ok=True)
    printed = sorted(layout.pdf.glob("*.pdf"))
    for pdf in printed:
        temporary = folder / f".{pdf.name}.new"
        shutil.copy2(pdf, temporary)
        os.replace(temporary, folder / pdf.name)
    for stale in folder.glob("*.pdf"):
        if stale.name not in {pdf.name for pdf in printed}:
            stale.unlink()


def check_internal_links(layout: Layout) -> int:
    """Check the staged site; the PDF counts as present because publishing adds it."""
    if not any(layout.pdf.glob("*.pdf")):
        print(f"Note: the Download PDF links work once `nox -s pdf` has written {layout.pdf}.")
    args = ["internal", str(layout.staging("html")), "--srcdir", str(layout.source)]
    for pdf in published_pdfs(layout.source):
        args += ["--publish-adds", pdf]
    cache = layout.doctrees("html") / PAGE_CACHE
    return links_main([*args, "--cache", str(cache)])


def parallel_jobs(layout: Layout, *, clean: bool) -> str:
    """``-j`` for the HTML build: parallel for many pages, serial for an edit or two.

    Forking Sphinx's workers costs about 0.13 s, a tenth of a one-page rebuild, and saves
    nothing there; a full build is about 15% faster with them. Serial only when at most
    ``FEW_EDITS`` Markdown pages (and no data or configuration) changed since the last build.
    """
    env = layout.doctrees("html") / "environment.pickle"
    if clean or not env.is_file():
        return "auto"
    built = env.stat().st_mtime
    changed = [p for p in layout.source.rglob("*") if p.is_file() and p.stat().st_mtime > built]
    if (layout.root / "conf.py").stat().st_mtime > built:
        changed.append(layout.root / "conf.py")
    few = len(changed) <= FEW_EDITS and all(p.suffix == ".md" for p in changed)
    return "1" if few else "auto"


def build_html(
    layout: Layout, *, clean: bool, extra: Sequence[str], reached: Reached = nowhere
) -> int:
    """Build, check and publish, while holding the repository's build lock.

    Not at all when nothing the site is made from changed since it was published. ``reached``
    hears of each :data:`Stage` the build gets to.
    """
    with build_lock(layout.lock, "an HTML build (nox -s html)"):
        digest = inputs_digest(layout.root, layout.source, layout.pdf, extra)
        if not clean and unchanged_since_published(layout.inputs, digest, layout.site):
            print(f"Nothing changed since the last build; {layout.site} is up to date.")
            return 0
        layout.inputs.unlink(missing_ok=True)
        status = build_check_publish(layout, clean=clean, extra=extra, reached=reached)
        if status == 0:
            layout.inputs.write_text(digest, encoding="utf-8")
        return status


def build_check_publish(
    layout: Layout, *, clean: bool, extra: Sequence[str], reached: Reached = nowhere
) -> int:
    jobs = parallel_jobs(layout, clean=clean)
    staged, stamp = layout.staging("html"), layout.doctrees("html") / PAGEFIND_STAMP
    # Pagefind indexes on the other core from the moment the pages are final, while this one
    # finishes the build, checks links and copies the pages to publish (not at all if no page
    # changed since the last index).
    index_when_written(staged, stamp)
    status = 1
    try:
        status = sphinx_build(layout, "html", clean=clean, jobs=jobs, extra=extra)
    finally:
        if status:  # failed or stopped: Pagefind's work, if it started, is thrown away
            drop_requested_index(staged)
    if status:
        print(f"The build failed; {layout.site} was left as it was.", file=sys.stderr)
        return status
    indexing = requested_index(staged, stamp)
    status = check_internal_links(layout)
    if status:
        indexing.finish()
        print(f"Broken internal links; {layout.site} was left as it was.", file=sys.stderr)
        return status
    reached("checked")
    site = publish(layout, indexing.wait)  # Pagefind finishes while the pages are copied
    reached("published")
    indexing.install()
    print(f"The site is in {site}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mlops_handbook.build", description=__doc__)
    parser.add_argument("target", choices=["html"], help="what to build")
    parser.add_argument("--clean", action="store_true", help="rebuild every page from scratch")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the repository root")
    parser.epilog = "Arguments after -- go to sphinx-build unchanged, e.g. -- -j 1."
    argv = list(sys.argv[1:] if argv is None else argv)
    ours, extra = (
        (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    )
    args = parser.parse_args(ours)
    layout = Layout(args.root.resolve())
    try:
        return build_html(layout, clean=args.clean, extra=extra)
    except KeyboardInterrupt:
        print(
            f"Stopped. {layout.site} is a whole site, the previous one or the new one; the "
            "next build finishes the work.",
            file=sys.stderr,
        )
        return 130


def exit_now(status: int) -> NoReturn:
    """End the process without tearing down the interpreter.

    Everything is written and flushed by now; freeing the build's million objects one by one
    on the way out took about 0.2 s, a sixth of a one-page rebuild.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    exit_now(main())
