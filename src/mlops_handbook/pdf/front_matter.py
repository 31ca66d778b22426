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
    """What the cover says; ``built`` is the build date, ``version`` the handbook's release."""

    code: str
    name: str
    edition: str
    teacher: str
    teacher_title: str
    version: str
    built: str

    @classmethod
    def from_data(cls, data: CourseData, version: str, built: str) -> Cover:
        course = data.course
        return cls(
            code=course.code,
            name=course.name,
            edition=course.edition.label,
            teacher=course.teacher.name,
            teacher_title=course.teacher.title,
            version=version,
            built=built,
        )

    @property
    def running_title(self) -> str:
        return f"{self.code} {self.name}"

    def html(self) -> str:
        version = f"Version {escape(self.version)} · " if self.version else ""
        return (
            '<div class="handbook-cover">\n'
            f'<p class="handbook-cover-code">DTU course {escape(self.code)}</p>\n'
            f'<p class="handbook-cover-title">{escape(self.name)}</p>\n'
            '<p class="handbook-cover-subtitle">Course handbook</p>\n'
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
