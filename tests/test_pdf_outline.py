"""The PDF's bookmarks and contents numbers, on small PDFs made here (no browser needed).

A bookmark must open its page *at its heading*, not at the top of the page; bookmarks nest
like the site's navigation; the contents take their numbers from where each anchor landed.
"""

from __future__ import annotations

import io

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from mlops_handbook.pdf.contents import ContentsError, Place, places
from mlops_handbook.pdf.manifest import Entry
from mlops_handbook.pdf.outline import add_outline

ENTRIES = [
    Entry("Part A", "a", 1, "a"),
    Entry("A1", "a1", 2),
    Entry("A1, deeper", "a1x", 3),
    Entry("A2", "a2", 2),
    Entry("Part B", "b", 1, "b"),
    Entry("Too deep", "deep", 3),  # two levels below its part: nested one level below
]
WHERE = {
    "a": Place(0, 792.0),
    "a1": Place(1, 420.5),
    "a1x": Place(1, 100.0),
    "a2": Place(2, 300.0),
    "b": Place(3, 700.0),
    "deep": Place(3, 0.0),
}

Bookmark = tuple[int, str, int, str, tuple[float, ...], int]


def blank_pdf(pages: int) -> pikepdf.Pdf:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(612, 792))
    return pdf


def reopen(pdf: pikepdf.Pdf) -> pikepdf.Pdf:
    """Save and read back, as a PDF reader would see the file."""
    out = io.BytesIO()
    pdf.save(out)
    return pikepdf.open(io.BytesIO(out.getvalue()))


def bookmarks(pdf: pikepdf.Pdf) -> list[Bookmark]:
    """(depth, title, page index, view, view's numbers, /Count) of every bookmark, in order."""
    index = {page.objgen: number for number, page in enumerate(pdf.pages)}
    found: list[Bookmark] = []

    def walk(item: pikepdf.Object | None, depth: int) -> None:
        while item is not None:
            page, view, *numbers = item.Dest
            count = int(item.get("/Count", 0))
            found.append(
                (
                    depth,
                    str(item.Title),
                    index[page.objgen],
                    str(view),
                    tuple(float(n) for n in numbers),
                    count,
                )
            )
            walk(item.get("/First"), depth + 1)
            item = item.get("/Next")

    walk(pdf.Root.Outlines.get("/First"), 1)
    return found


def test_each_bookmark_opens_its_page_at_its_heading():
    pdf = blank_pdf(4)
    add_outline(pdf, ENTRIES, WHERE)
    reader = reopen(pdf)
    # /XYZ left top zoom: the heading's height at the top of the window, zoom unchanged (0).
    assert bookmarks(reader) == [
        (1, "Part A", 0, "/XYZ", (0, 792.0, 0), 2),  # a part is open: its two sections show
        (2, "A1", 1, "/XYZ", (0, 420.5, 0), -1),  # a section is folded: its child hidden
        (3, "A1, deeper", 1, "/XYZ", (0, 100.0, 0), 0),
        (2, "A2", 2, "/XYZ", (0, 300.0, 0), 0),
        (1, "Part B", 3, "/XYZ", (0, 700.0, 0), 1),
        (2, "Too deep", 3, "/XYZ", (0, 0.0, 0), 0),
    ]
    assert reader.Root.PageMode == Name.UseOutlines  # the reader opens with bookmarks shown


def test_a_bookmark_whose_height_is_unknown_shows_its_whole_page():
    """Without a height, /XYZ with top 0 would scroll to the bottom edge of the page."""
    pdf = blank_pdf(2)
    add_outline(pdf, [Entry("Somewhere", "x", 1, "x")], {"x": Place(1, None)})
    assert bookmarks(reopen(pdf)) == [(1, "Somewhere", 1, "/Fit", (), 0)]


def test_adding_the_outline_again_replaces_it():
    pdf = blank_pdf(4)
    add_outline(pdf, ENTRIES, WHERE)
    add_outline(pdf, ENTRIES[:1], WHERE)
    assert [title for _, title, *_ in bookmarks(reopen(pdf))] == ["Part A"]


def with_destinations(pages: int) -> pikepdf.Pdf:
    """A PDF with both kinds of named destination that Chromium and other writers use."""
    pdf = blank_pdf(pages)
    # Chromium's kind: the catalog's /Dests, whose keys are PDF names.
    pdf.Root.Dests = Dictionary({"/from-dests": Array([pdf.pages[2].obj, Name.XYZ, 0, 250.5, 0])})
    # The name tree, holding a bare view or a dictionary with the view under /D.
    tree = pikepdf.NameTree.new(pdf)
    tree["bare"] = Array([pdf.pages[1].obj, Name.XYZ, 0, 400, 0])
    tree["wrapped"] = Dictionary(D=Array([pdf.pages[0].obj, Name.XYZ, 0, 640.25, 0]))
    tree["whole-page"] = Array([pdf.pages[1].obj, Name.Fit])
    tree["no-height"] = Array([pdf.pages[2].obj, Name.FitH])
    tree["rectangle"] = Array([pdf.pages[2].obj, Name.FitR, 10, 20, 300, 400])
    tree["no-zoom"] = Array([pdf.pages[0].obj, Name.XYZ, 0, 500])  # zoom left out
    tree["no-top"] = Array([pdf.pages[0].obj, Name.XYZ, 0])  # top left out
    pdf.Root.Names = Dictionary(Dests=tree.obj)
    return reopen(pdf)


def test_places_read_every_kind_of_named_destination():
    pdf = with_destinations(3)
    names = ["from-dests", "bare", "wrapped", "whole-page", "no-height", "rectangle", "no-zoom"]
    assert places(pdf, [*names, "no-top"]) == {
        "from-dests": Place(2, 250.5),
        "bare": Place(1, 400.0),
        "wrapped": Place(0, 640.25),
        "whole-page": Place(1, None),  # a view without a height: the page only
        "no-height": Place(2, None),
        "rectangle": Place(2, None),  # /FitR's numbers are a rectangle, not a height
        "no-zoom": Place(0, 500.0),
        "no-top": Place(0, None),
    }


def test_places_read_a_pdf_with_only_the_catalogs_destinations():
    pdf = blank_pdf(2)
    pdf.Root.Dests = Dictionary({"/only": Array([pdf.pages[1].obj, Name.XYZ, 0, 99, 0])})
    assert places(reopen(pdf), ["only"]) == {"only": Place(1, 99.0)}


def test_a_missing_anchor_is_named():
    pdf = with_destinations(3)
    with pytest.raises(ContentsError, match=r"^no destination in the printed PDF for gone$"):
        places(pdf, ["gone", "bare", "gone"])
    many = [f"a{i}" for i in range(7)]
    message = "no destination in the printed PDF for a0, a1, a2, a3, a4"
    for anchors, more in ((many, " and 2 more"), (many[:6], " and 1 more"), (many[:5], "")):
        with pytest.raises(ContentsError) as caught:
            places(pdf, anchors)
        assert str(caught.value) == message + more
