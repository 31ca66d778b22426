"""The cover, the contents and the page styles that turn the one-page site into a book.

All three are HTML strings put in front of the book's body, so Chromium lays them out with the
rest. The contents' page numbers start empty in fixed-width boxes: the printer fills them in
after a first print without moving a single line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from ..model import CourseData
from .manifest import Entry
from .navigation import Part


@dataclass(frozen=True)
class Cover:
    """What a cover says; ``built`` is the sources' date, ``version`` the edition's release."""

    code: str
    name: str
    edition: str
    teacher: str
    teacher_title: str
    version: str
    built: str

    @classmethod
    def from_data(cls, data: CourseData, built: str) -> Cover:
        course = data.course
        return cls(
            code=course.code,
            name=course.name,
            edition=course.edition.label,
            teacher=course.teacher.name,
            teacher_title=course.teacher.title,
            version=course.edition.version or "",
            built=built,
        )

    @property
    def running_title(self) -> str:
        return f"{self.code} {self.name}"

    def html(self, subtitle: str = "Course handbook", when: str = "") -> str:
        """The book's cover, or (with the session's label and date) a session's."""
        version = f"Version {escape(self.version)} · " if self.version else ""
        date = f'<p class="handbook-cover-date">{escape(when)}</p>\n' if when else ""
        return (
            '<div class="handbook-cover">\n'
            f'<p class="handbook-cover-code">DTU course {escape(self.code)}</p>\n'
            f'<p class="handbook-cover-title">{escape(self.name)}</p>\n'
            f'<p class="handbook-cover-subtitle">{escape(subtitle)}</p>\n'
            f"{date}"
            f'<p class="handbook-cover-edition">{escape(self.edition)}</p>\n'
            f'<p class="handbook-cover-teacher">{escape(self.teacher)}<br>'
            f"{escape(self.teacher_title)}</p>\n"
            f'<p class="handbook-cover-build">{version}built {escape(self.built)}</p>\n'
            "</div>\n"
        )


def contents_html(entries: Iterable[Entry]) -> str:
    """Pages down to level 2 with a page-number box; a hidden link to every other bookmark.

    Chromium writes a named destination only for an anchor that some link points at, and the
    printer needs one for every bookmark.
    """
    shown, hidden = [], []
    for entry in entries:
        link = f'href="#{escape(entry.anchor)}"'
        if entry.document and entry.level <= 2:
            shown.append(
                f'<li class="handbook-contents-level-{entry.level}"><a {link}>'
                f'<span class="handbook-contents-text">{escape(entry.title)}</span>'
                f'<span class="handbook-contents-page" data-anchor="{escape(entry.anchor)}">'
                "</span></a></li>"
            )
        else:
            hidden.append(f'<a class="handbook-anchor" {link}></a>')
    return (
        '<nav class="handbook-contents" aria-label="Contents">\n'
        '<p class="handbook-contents-title">Contents</p>\n'
        '<ol class="handbook-contents-list">\n' + "\n".join(shown) + "\n</ol>\n"
        '<div class="handbook-anchors" aria-hidden="true">' + "".join(hidden) + "</div>\n"
        "</nav>\n"
    )


def session_front_html(
    cover: Cover, part: str, label: str, when: str, entries: Iterable[Entry]
) -> str:
    """A session's first sheet (its cover and contents), kept inert until its PDF is printed.

    A ``<template>`` is neither laid out nor read by assistive technology, so the whole book
    prints as if it were not there; the printer prints it on its own, as the session's PDF's
    first sheet.
    """
    return (
        f'<template class="handbook-session-front" data-part="{escape(part)}">\n'
        '<div class="handbook-session-cover">\n'
        + cover.html(label, when)
        + contents_html(entries)
        + "</div>\n</template>\n"
    )


def page_style(cover: Cover, parts: Iterable[Part]) -> str:
    """Named pages: each part starts a new sheet and shows its title in the running header."""
    rules = [f"@page {{ @top-left {{ content: {_css_string(cover.running_title)}; }} }}"]
    for part in parts:
        rules.append(f".{part.name} {{ page: {part.name}; }}")
        rules.append(
            f"@page {part.name} {{ @top-right {{ content: {_css_string(part.title)}; }} }}"
        )
    return '<style media="print">\n' + "\n".join(rules) + "\n</style>\n"


def _css_string(text: str) -> str:
    """A CSS string literal that cannot end the string or the ``<style>`` element early."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return '"' + escaped.replace("<", "\\3c ") + '"'
