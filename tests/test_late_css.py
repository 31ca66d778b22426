"""The stylesheet cut in two: what the pages' markup can match, and the rules for states."""

from __future__ import annotations

import re
from pathlib import Path

from mlops_handbook.lean.bundle import bundle_stylesheets, late_name, write_bundles
from mlops_handbook.lean.late import Markup, specificity, split_sheet

LINKS = (
    '<link rel="stylesheet" href="_static/a.css" /><link rel="stylesheet" href="_static/b.css" />'
)
PAGE = """<html><head><script>document.body.classList.add("booted")</script></head>
<body><ul class="menu"><li id="top" class="item">x</li></ul><p class="note">y</p></body></html>"""


def test_rules_only_a_script_state_can_match_move_to_the_end():
    css = (
        "/*! licence */"
        ".menu{display:none}"
        ".menu.show{display:block}"  # no element is both before a script runs
        ".tooltip{opacity:0}"  # no element has it
        "ul li#top{color:red}"
        ".note:hover,.note.active{color:blue}"  # :hover may match the page; .active may not
        ".booted .note{margin:0}"  # set by the page's inline script before it paints
        "@media (min-width:900px){.menu{display:flex}.tooltip{opacity:1}}"
    )
    head, end = split_sheet(css, Markup.of([PAGE]))
    assert head == (
        "/*! licence */"
        ".menu{display:none}"
        "ul li#top{color:red}"
        ".note:hover{color:blue}"
        ".booted .note{margin:0}"
        "@media (min-width:900px){.menu{display:flex}}"
    )
    assert end == (
        "/*! licence */"
        ".menu.show{display:block}"
        ".tooltip{opacity:0}"
        ".note:hover,.note.active{color:blue}"
        "@media (min-width:900px){.tooltip{opacity:1}}"
    )


def test_a_later_rule_that_a_moved_one_would_now_beat_is_repeated_after_it():
    css = (
        ".open{color:red;margin-top:1px}"  # moved: nothing is open before a script runs
        ".note{color:blue}"  # same specificity and property, but a later rule: it must still win
        ".menu{margin:0}"  # a shorthand of the moved margin-top
        "ul li{color:green}"  # less specific: the moved rule wins wherever it did
        ".note::before{color:gray}"  # styles another box
        "p.note{color:black}"  # more specific
    )
    head, end = split_sheet(css, Markup.of([PAGE]))
    assert head == (
        ".note{color:blue}.menu{margin:0}ul li{color:green}.note::before{color:gray}"
        "p.note{color:black}"
    )
    assert end == ".open{color:red;margin-top:1px}.note{color:blue}.menu{margin:0}"


def test_rules_after_a_repeated_one_are_repeated_when_they_beat_it():
    css = ".show{color:red}.note{color:blue;padding:0}.item{padding:1px}"
    _, end = split_sheet(css, Markup.of([PAGE]))
    assert end == css


def test_a_repeated_rule_is_one_that_may_style_the_same_box():
    css = (
        "p.open{color:red}.open::after{color:red}"  # moved
        "ul.menu{color:blue}"  # another type: never the same element
        "p.note{color:blue}"  # the same type
        ".note::after{color:blue}"  # the same pseudo-element, any type
    )
    _, end = split_sheet(css, Markup.of([PAGE]))
    assert (
        end == "p.open{color:red}.open::after{color:red}p.note{color:blue}.note::after{color:blue}"
    )


def test_the_markup_is_what_the_pages_say_not_what_their_scripts_write():
    markup = Markup.of(['<html><p class="a b">x</p><script>o.innerHTML = "<p class=c>"</script>'])
    assert markup.may_match(".a.b") and markup.may_match("p.a::after")
    assert not markup.may_match(".a.d") and not markup.may_match("div.a")
    assert markup.may_match(".c")  # a word of an inline script: it may set it before painting
    assert not markup.may_match("#y") and markup.may_match("html[data-theme=dark] p")


def test_specificity_counts_ids_classes_and_types_as_css_does():
    assert specificity("ul li#top.item:hover::before") == (1, 2, 3)
    assert specificity("a:before") == (0, 0, 2)
    assert specificity(":not(.a.b) p") == (0, 2, 1)
    assert specificity(":is(#a,.b) p") == (1, 0, 1)
    assert specificity(":where(#a) .b") == (0, 1, 0)
    assert specificity("html[data-theme=dark] *") == (0, 1, 1)


def test_a_page_links_the_late_rules_last_in_its_body(tmp_path: Path):
    links = LINKS
    page = bundle_stylesheets(f"<html><head>{links}</head><body><p>x</p></body></html>", tmp_path)
    head, late = re.findall(r'<link rel="stylesheet" href="_static/(bundle-[^"]+)" />', page)
    assert late == late_name(head) == head.replace(".css", "-late.css")
    assert page.index(head) < page.index("</head>") < page.index("<p>x</p>") < page.index(late)
    assert page.index(late) < page.index("</body>")
    bare = bundle_stylesheets(f"<head>{links}</head><p>x</p>", tmp_path)
    assert bare.index(late) < bare.index("</head>")  # no body: every rule still applies


def test_the_late_sheet_holds_what_the_head_sheet_leaves_out(tmp_path: Path):
    static = tmp_path / "_static"
    static.mkdir()
    (static / "a.css").write_text(".menu{display:none}", "utf-8")
    (static / "b.css").write_text(".menu.show{display:block}", "utf-8")
    links = LINKS
    page = bundle_stylesheets(f"<html><head>{links}</head><body>{PAGE}</body></html>", tmp_path)
    (static / "bundle-000000000000-late.css").write_text("stale", "utf-8")  # no page links it
    write_bundles(tmp_path, [page], lambda css: css)
    head, late = re.findall(r'href="_static/(bundle-[^"]+)"', page)
    assert (static / head).read_text("utf-8").endswith("*/\n.menu{display:none}")
    assert (static / late).read_text("utf-8") == ".menu.show{display:block}"
    assert sorted(p.name for p in static.glob("bundle-*")) == sorted([head, late])


def test_a_page_that_links_no_late_sheet_gets_every_rule_in_the_head(tmp_path: Path):
    static = tmp_path / "_static"
    static.mkdir()
    (static / "a.css").write_text(".menu{display:none}", "utf-8")
    (static / "b.css").write_text(".menu.show{display:block}", "utf-8")
    page = bundle_stylesheets(f"<html><head>{LINKS}</head><body>{PAGE}</body></html>", tmp_path)
    head, late = re.findall(r'href="_static/(bundle-[^"]+)"', page)
    older = page.replace(late, "")  # written by a build from before the cut
    write_bundles(tmp_path, [page, older], lambda css: css)
    assert (
        (static / head)
        .read_text("utf-8")
        .endswith("*/\n.menu{display:none}.menu.show{display:block}")
    )
    assert (static / late).read_text("utf-8") == ""
