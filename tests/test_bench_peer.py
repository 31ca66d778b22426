"""The side-by-side comparison with mkdocs-material: words, ratios, an unprepared peer."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_handbook.bench.measure import Run
from mlops_handbook.bench.peer import Peer, PeerNotReadyError, per_1000_words, ratios


def test_the_peer_counts_words_as_peer_site_sh_does(tmp_path: Path):
    sources = tmp_path / "site-src"
    for name, text in {
        "README.md": "one two\nthree",
        "pages/faq.md": "four  five",
        "s1_setup/a.md": "six",
        "figures/notes.md": "not counted",
        "s1_setup/deeper/b.md": "not counted either",
    }.items():
        (sources / name).parent.mkdir(parents=True, exist_ok=True)
        (sources / name).write_text(text, encoding="utf-8")
    assert Peer(tmp_path).words() == 6


def test_an_unprepared_peer_says_how_to_prepare_it(tmp_path: Path):
    with pytest.raises(PeerNotReadyError, match=r"peer-site\.sh"):
        Peer(tmp_path).command()


def test_ratios_are_per_1000_words_and_per_pair():
    # The handbook has twice the peer's words: the same time per run is half per 1,000 words.
    ours = [Run(wall=2.0, cpu=1.0, load=0), Run(wall=4.0, cpu=3.0, load=0)]
    theirs = [Run(wall=1.0, cpu=1.0, load=0), Run(wall=2.0, cpu=1.0, load=0)]
    median, line = ratios(ours, theirs, (2000, 1000))
    assert median == pytest.approx(1.0)  # pairs: 0.5x and 1.5x
    assert "CPU 1.00x (0.50–1.50)" in line
    assert "wall 1.00x (1.00–1.00)" in line


def test_medians_and_ranges_per_1000_words():
    runs = [Run(wall=1.0, cpu=0.5, load=0), Run(wall=3.0, cpu=1.5, load=0), Run(2.0, 1.0, 0)]
    line = per_1000_words(runs, 2000, "book")
    assert line == "book per 1,000 words: CPU 500 ms (250–750), wall 1000 ms (500–1500)"
