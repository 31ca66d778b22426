"""Index the built site with Pagefind, so the site's search box works without any server.

The index is written next to the pages, in ``_pagefind/``, and replaces the previous one
whole: written into a fresh folder first, then swapped in, so an incremental build ends with
exactly the index a clean build writes, and a failed run leaves no half-written index.
``python -m mlops_handbook.search SITE`` indexes a built site by hand (``nox -s serve`` does).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

INDEX_DIR = "_pagefind"
WORDS_FILE = "handbook-words.json"
# Headings' permalinks ("#") are not words of the page, and would end up in every title.
EXCLUDED = (".headerlink",)
# The bundle's ready-made interfaces; the site brings its own, and only needs pagefind.js.
UNUSED = (
    "pagefind-ui.*",
    "pagefind-component-ui.*",
    "pagefind-modular-ui.*",
    "pagefind-highlight.js",
)
BODY = re.compile(r"<div data-pagefind-body[^>]*>(.*?)</article>", re.DOTALL)
TAG = re.compile(r"<[^>]*>")
TOKEN = re.compile(r"[a-z]+(?:-[a-z]+)*")
SHORTEST = 4  # shorter words are too often one letter away from another word


def page_words(page: str) -> list[str]:
    """The words of a page's indexed article, hyphenated ones also joined ("precommit")."""
    found = []
    for body in BODY.findall(page):
        for token in TOKEN.findall(html.unescape(TAG.sub(" ", body)).lower()):
            parts = token.split("-")
            found += [*parts, "".join(parts)] if len(parts) > 1 else parts
    return [word for word in found if len(word) >= SHORTEST]


def write_words(site: Path, target: Path) -> None:
    """The site's vocabulary, most frequent first: what the search box corrects typos to.

    Pagefind matches words and their prefixes exactly, so one typo ("dockerfle") finds
    nothing useful. The box replaces a word that starts no word of the site with the most
    frequent word one or two edits away.
    """
    counts: Counter[str] = Counter()
    for path in sorted(site.rglob("*.html")):
        counts.update(page_words(path.read_text(encoding="utf-8")))
    words = sorted(counts, key=lambda word: (-counts[word], word))
    target.write_text(json.dumps(words, separators=(",", ":")), encoding="utf-8")


def pagefind_command(site: Path, output: str) -> list[str]:
    return [
        sys.executable, "-m", "pagefind",
        "--site", str(site),
        "--output-subdir", output,
        "--keep-index-url",  # result links name the file, so they also work without a server
        "--force-language", "en",
        "--exclude-selectors", ",".join(EXCLUDED),
        "--quiet",
    ]  # fmt: skip


def index_site(site: Path) -> Path:
    """Write a fresh search index into ``site/_pagefind`` and return its folder.

    If Pagefind fails, the build stops with its output and the published site stays as it was.
    """
    start = time.perf_counter()
    target = site / INDEX_DIR
    fresh = site / f".{INDEX_DIR}.new"
    shutil.rmtree(fresh, ignore_errors=True)
    done = subprocess.run(
        pagefind_command(site, fresh.name), capture_output=True, text=True, check=False
    )
    if done.returncode or not (fresh / "pagefind.js").is_file():
        shutil.rmtree(fresh, ignore_errors=True)
        raise SystemExit(
            f"Pagefind could not index {site}; the published site was left as it was. If "
            f"Pagefind is missing, reinstall the project (`pip install -e .`).\n"
            f"{done.stdout}{done.stderr}"
        )
    write_words(site, fresh / WORDS_FILE)
    for pattern in UNUSED:
        for path in fresh.glob(pattern):
            path.unlink()
    shutil.rmtree(target, ignore_errors=True)
    fresh.rename(target)
    pages = sum(1 for _ in (target / "fragment").iterdir())
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    took = time.perf_counter() - start
    print(f"search index: {pages} pages, {size / 1024:.0f} KiB in {target.name}/ ({took:.2f} s)")
    return target
