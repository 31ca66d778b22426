"""The page-weight bench's arithmetic: gzip sizes of what was served, medians and ratios."""

from __future__ import annotations

import gzip
from pathlib import Path

from mlops_handbook.bench.page_weight import (
    Recorder,
    Result,
    Visit,
    gzip_size,
    load_average,
    ratios,
    spread,
    table,
)


def test_text_is_counted_gzipped_and_images_as_sent(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("word " * 500, "utf-8")
    (tmp_path / "b.png").write_bytes(b"\x89PNG" * 100)
    base = "http://127.0.0.1:1/"
    assert gzip_size(tmp_path, base, base + "a/", 2500) == len(
        gzip.compress((tmp_path / "a" / "index.html").read_bytes(), 6)
    )
    assert gzip_size(tmp_path, base, base + "b.png", 400) == 400


def test_medians_with_ranges_and_the_ratio_to_the_peer():
    assert spread([3.0, 1.0, 2.0]) == "2 (1-3)"
    assert spread([5.0]) == "5"
    ours = Result("handbook", first=[Visit(fcp_ms=1000, load_ms=2000)] * 3)
    peer = Result("course site", first=[Visit(fcp_ms=2000, load_ms=2000)] * 3)
    assert ratios([ours, peer]) == [
        "first contentful paint: 0.50x the course site's (goal <= 0.6x)",
        "load: 1.00x the course site's (goal <= 0.6x)",
    ]


def test_the_table_shows_what_the_first_paint_waited_for():
    visits = [Visit(blocking_requests=1, blocking_bytes=size) for size in (90e3, 80e3, 100e3)]
    rows = table([Result("handbook", first=visits, second=visits)], {"handbook": 1}).splitlines()
    assert "first paint waits for: files         1 (1-1)" in rows
    assert "first paint waits for: KB as served  90 (80-100)" in rows


def test_a_visit_waits_for_every_request_sent_to_arrive_or_fail(tmp_path: Path):
    """Bootstrap, fetched after the load event, counts once it has arrived."""
    recorder = Recorder(tmp_path, "http://127.0.0.1:1/")
    assert not recorder.pending()
    for request in ("1", "2"):
        recorder.sent({"requestId": request, "request": {"url": f"http://127.0.0.1:1/{request}"}})
    recorder.finished({"requestId": "1", "encodedDataLength": 10})
    assert recorder.pending()
    recorder.failed({"requestId": "2"})
    assert not recorder.pending()
    assert (recorder.visit.requests, recorder.visit.bytes) == (1, 10)


def test_the_load_average_is_shown_with_one_decimal():
    assert load_average((9.44, 8.9, 6.0)) == "9.4 / 8.9 / 6.0"
