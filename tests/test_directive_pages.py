"""What each data directive shows, fact by fact, on the small test handbook."""

from __future__ import annotations

import re
from collections.abc import Callable

from sphinx.testing.util import SphinxTestApp

from .conftest import page

MakeApp = Callable[..., SphinxTestApp]


# The test book's course facts, in the order the page lists them.
COURSE_FACTS = [
    ("Course", "99999 Testing Operations"),
    ("Edition", "January 2030: Monday 7 January 2030 to Friday 18 January 2030"),
    ("Credits", "5 ECTS"),
    ("Level", "Master"),
    ("Length", "1 week"),
    ("Workload", "45 hours"),
    ("Grading", "Pass/fail"),
    ("Assessment", "A report"),
    ("Groups", "3–5 students"),
    ("Teacher", "Ada Teacher, Professor"),
]


def fields(html: str, css: str) -> list[tuple[str, str]]:
    """The (name, value) pairs of the field list with class ``css``."""
    block = re.search(rf'<dl class="{css} field-list[^"]*">(.*?)</dl>', html, re.S)
    assert block, css
    names = re.findall(r"<dt[^>]*>(.*?)<span", block[1])
    values = [
        re.sub(r"<[^>]+>", "", v).strip()
        for v in re.findall(r"<dd[^>]*>(.*?)</dd>", block[1], re.S)
    ]
    return list(zip(names, values, strict=True))


def test_course_facts_list_every_fact_in_order(built: SphinxTestApp):
    assert fields(page(built, "index"), "handbook-course-facts") == COURSE_FACTS


def test_a_session_page_shows_its_facts_and_a_card_per_module(built: SphinxTestApp):
    html = page(built, "sessions/s1_first/index")
    assert fields(html, "handbook-session-facts") == [
        ("Date", "Monday 7 January 2030"),
        ("Lecture", "Beginnings"),
        ("Frameworks", "Hammer, Saw"),
        ("Slack channel", "#s1-first"),
        ("Core exercises", "about 20 min"),
    ]
    card = (
        r'<div class="sd-card-title[^"]*">\s*(.*?)</div>\s*<p class="sd-card-text">'
        r'<span class="[^"]*sd-bg-(\w+) [^"]*">(\w+)</span> (.*?)</p>.*?href="([^"]+)"'
    )
    cards = re.findall(card, html, re.S)
    assert cards == [
        (
            "M1 · Hammering",
            "primary",
            "Core",
            "Hit nails &lt;b&gt;hard&lt;/b&gt;.",
            "hammering.html",
        ),
        ("M2 · Sawing", "secondary", "Optional", "Cut wood.", "sawing.html"),
    ]
    assert fields(page(built, "sessions/s2_second/index"), "handbook-session-facts") == [
        ("Date", "No fixed day: take these modules any time"),
        ("Core exercises", "none"),
    ]


def test_the_ta_summary_counts_and_quotes_the_data(built: SphinxTestApp):
    summary = "2 teaching assistants; 1–2 at a time. Their hours on course days: 10:00–16:00."
    assert f"<p>{summary}</p>" in page(built, "tas")


def test_a_module_header_of_a_session_without_a_day_has_no_date(built: SphinxTestApp):
    html = page(built, "sessions/s2_second/gluing")
    meta = re.search(r'<p class="handbook-module-meta">(.*?)</p>', html, re.S)
    assert meta
    assert re.sub(r"<[^>]+>", "", meta[1]) == "M3 Core module Part of S2 · Second things."
    assert 'class="sd-badge sd-bg-info sd-bg-text-info">M3</span>' in meta[1]
