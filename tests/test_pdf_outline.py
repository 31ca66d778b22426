"""The PDF's bookmarks and contents numbers, on small PDFs made here (no browser needed).

A bookmark must open the page *at its heading*, not at the top of the page; bookmarks nest
like the site's navigation; the contents take their numbers from where each anchor landed.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NullObject,
    NumberObject,
)

from mlops_handbook.pdf.contents import ContentsError, Place, page_numbers, places, splice_front
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
    "deep": Place(3, None),
}


def blank_pdf(pages: int) -> PdfWriter:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(612, 792)
    return writer


def reopen(writer: PdfWriter) -> PdfReader:
    out = io.BytesIO()
    writer.write(out)
    return PdfReader(io.BytesIO(out.getvalue()))


def bookmarks(reader: PdfReader) -> list[tuple[int, str, int, str, float | None, int]]:
    """(depth, title, page index, kind of view, height, /Count) for every bookmark, in order."""
    found = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
                continue
            top = item.top if isinstance(item.top, (int, float)) else None
            page = reader.get_destination_page_number(item)
            found.append((depth, item.title, page, item.typ, top, item.get("/Count", 0)))

    walk(reader.outline, 1)
    return found


def test_each_bookmark_opens_its_page_at_its_heading():
    writer = blank_pdf(4)
    add_outline(writer, ENTRIES, WHERE)
    reader = reopen(writer)
    assert bookmarks(reader) == [
        (1, "Part A", 0, "/XYZ", 792.0, 2),  # a part is open: its two sections show
        (2, "A1", 1, "/XYZ", 420.5, -1),  # a section is folded: its one child hidden
        (3, "A1, deeper", 1, "/XYZ", 100.0, 0),
        (2, "A2", 2, "/XYZ", 300.0, 0),
        (1, "Part B", 3, "/XYZ", 700.0, 1),
        (2, "Too deep", 3, "/XYZ", None, 0),
    ]
    assert reader.page_mode == "/UseOutlines"  # the reader opens with the bookmarks shown


def test_places_read_both_kinds_of_named_destination():
    tree = blank_pdf(3)
    tree.add_named_destination("from-name-tree", 1)  # pypdf's kind: a /FitH view
    assert places(reopen(tree), ["from-name-tree"]) == {"from-name-tree": Place(1, 792)}
    chromium = blank_pdf(3)
    view = [NameObject("/XYZ"), NumberObject(0), FloatObject(250.5), NullObject()]
    # Chromium's kind: the catalog's /Dests, whose keys are PDF names.
    dests = {NameObject("/from-dests"): ArrayObject([chromium.pages[2].indirect_reference, *view])}
    chromium._root_object[NameObject("/Dests")] = DictionaryObject(dests)
    assert places(reopen(chromium), ["from-dests"]) == {"from-dests": Place(2, 250.5)}
    pdf = io.BytesIO()
    chromium.write(pdf)
    assert page_numbers(pdf.getvalue(), ["from-dests"]) == {"from-dests": 3}  # as the footer


def test_a_missing_anchor_is_named():
    reader = reopen(blank_pdf(1))
    with pytest.raises(ContentsError, match=r"^no destination in the printed PDF for gone$"):
        places(reader, ["gone", "gone"])
    many = [f"a{i}" for i in range(7)]
    with pytest.raises(ContentsError) as caught:
        places(reader, many)
    message = "no destination in the printed PDF for a0, a1, a2, a3, a4"
    assert str(caught.value) == f"{message} and 2 more"
    with pytest.raises(ContentsError) as caught:
        places(reader, many[:6])
    assert str(caught.value) == f"{message} and 1 more"
    with pytest.raises(ContentsError) as caught:
        places(reader, many[:5])
    assert str(caught.value) == message


def numbered_front(pages: int) -> PdfReader:
    """Front pages whose content differs from the book's blank ones: a box at each page."""
    writer = blank_pdf(pages)
    for page in writer.pages:
        page.merge_transformed_page(blank_pdf(1).pages[0], (1, 0, 0, 1, 0, 0))
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Marker"): NumberObject(7)})
    return reopen(writer)


def test_the_numbered_front_pages_replace_the_unnumbered_ones_keeping_links():
    book = blank_pdf(3)
    book.add_uri(0, "https://example.org", [0, 0, 10, 10])
    front = numbered_front(2)
    splice_front(book, front, 2)
    spliced = reopen(book)
    for index in (0, 1):
        assert spliced.pages[index]["/Resources"] == {"/Marker": 7}
        assert spliced.pages[index].get_contents() is not None
    assert "/Marker" not in spliced.pages[2]["/Resources"]  # the body is left as it was
    assert len(spliced.pages[0]["/Annots"]) == 1  # the book's link on the cover stays


def test_front_pages_that_moved_stop_the_print():
    with pytest.raises(ContentsError) as caught:
        splice_front(blank_pdf(3), numbered_front(2), 3)
    assert str(caught.value) == "the numbered front matter has 2 pages, the book's has 3"
