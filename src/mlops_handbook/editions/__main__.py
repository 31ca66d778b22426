"""``python -m mlops_handbook.editions [--no-pdf]``: publish the current and earlier editions.

Run after ``nox -s book`` (or ``html``): writes ``build/pages/``, the folder GitHub Pages
publishes. Earlier editions are kept built in ``build/editions/`` and built again only when
their tag moves.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

from ..build import Layout, point_link
from ..data import load_course_data
from ..errors import CourseDataError
from ..pdf.names import STEM, edition_slug
from .bar import add_bar
from .tags import Edition, EditionError, build_edition, tagged_editions

ZIP_DIR = "editions"


def zip_site(site: Path, out: Path, folder: str, *, leave_out: set[str]) -> None:
    """A zip of the offline site, the same bytes for the same files (fixed dates, sorted)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(site.rglob("*")):
            inside = path.relative_to(site)
            if path.is_dir() or inside.parts[0] in leave_out:
                continue
            entry = zipfile.ZipInfo(f"{folder}/{inside.as_posix()}", (1980, 1, 1, 0, 0, 0))
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, path.read_bytes())


def zip_name(edition: Edition) -> str:
    return f"{STEM}-{edition.slug}-site.zip"


def assemble(layout: Layout, current: Edition, earlier: list[Edition], built: Path) -> Path:
    """Write the published tree beside the last one, then switch ``build/pages`` to it."""
    editions = [current, *earlier]
    versions = layout.root / "build" / ".pages"
    versions.mkdir(parents=True, exist_ok=True)
    new = Path(tempfile.mkdtemp(prefix="pages-", dir=versions))
    new.chmod(0o755)
    site = new / "site"
    shutil.copytree(layout.site.resolve(), site)
    if earlier:  # a single edition needs no switcher
        add_bar(site, site, editions, current, current)  # before the earlier ones are in it
    print(f"{current.label} (current): {layout.site}")
    for edition in earlier:
        shutil.copytree(built / edition.slug, site / edition.slug)
        pages = add_bar(site / edition.slug, site, editions, edition, current)
        print(f"{edition.label}: {pages} pages under /{edition.slug}/")
    others = {ZIP_DIR, *(e.slug for e in earlier)}
    zip_site(site, site / ZIP_DIR / zip_name(current), current.slug, leave_out=others)
    for edition in earlier:
        zip_site(
            site / edition.slug, site / ZIP_DIR / zip_name(edition), edition.slug, leave_out=set()
        )
    pages = layout.root / "build" / "pages"
    point_link(pages, site)
    for old in versions.iterdir():
        if old != new:
            shutil.rmtree(old, ignore_errors=True)
    return pages


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mlops_handbook.editions", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the repository root")
    parser.add_argument(
        "--no-pdf", action="store_true", help="build earlier editions without their PDFs (faster)"
    )
    args = parser.parse_args(argv)
    layout = Layout(args.root.resolve())
    if not layout.site.is_dir():
        print(f"There is no site in {layout.site} yet: run `nox -s book` first.", file=sys.stderr)
        return 1
    try:
        data = load_course_data(layout.source, "_data", "sessions")
        current = Edition(edition_slug(data))
        earlier = [e for e in tagged_editions(layout.root) if e.slug != current.slug]
        built = layout.root / "build" / "editions"
        for edition in earlier:
            if not build_edition(layout.root, edition, built / edition.slug, pdf=not args.no_pdf):
                print(f"{edition.label}: built before from {edition.commit[:12]}, kept")
        pages = assemble(layout, current, earlier, built)
    except (CourseDataError, EditionError) as error:
        print(error, file=sys.stderr)
        return 1
    print(f"The editions are in {pages} ({len(earlier)} earlier, zips in {ZIP_DIR}/)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
