"""The time plan: one table per week, exercise and project days told apart."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from docutils import nodes

from ..model import Day
from .common import Cell, DataDirective, badge, doc_link, table


def sentence(text: str) -> str:
    """End a phrase from the data with a full stop unless it already has punctuation."""
    return text if text.endswith((".", "?", "!")) else f"{text}."


def count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def week_of(first: dt.date, day: dt.date) -> int:
    """Course week of ``day``, counting the week of the first day as week 1."""
    first_monday = first - dt.timedelta(days=first.weekday())
    return (day - first_monday).days // 7 + 1


class Timeplan(DataDirective):
    def run(self) -> list[nodes.Node]:
        self.uses("timeplan")
        days = self.data.days
        exercise = sum(d.kind == "exercise" for d in days)
        result: list[nodes.Node] = [
            nodes.paragraph(
                text=f"{count(len(days), 'course day')}: {count(exercise, 'exercise day')} and "
                f"{count(len(days) - exercise, 'project day')}."
            )
        ]
        for week, week_days in groupby(days, key=lambda d: week_of(days[0].date, d.date)):
            result.append(nodes.rubric(text=f"Week {week}"))
            rows = [self._row(day) for day in week_days]
            result.append(
                table(
                    ["Date", "Kind of day", "What happens"], rows, ["handbook-timeplan"], [2, 2, 8]
                )
            )
        return result

    def _row(self, day: Day) -> list[Cell]:
        when = f"{day.date:%a %d %b}"
        what: list[nodes.Node] = []
        if day.kind == "exercise" and day.session:
            session = self.data.session(day.session)
            what += [
                doc_link(self.data.session_docname(session), session.label),
            ]
            if session.lecture:
                what.append(nodes.Text(f". Lecture: {sentence(session.lecture)}"))
        elif day.lecture:
            what.append(nodes.Text(sentence(day.lecture)))
        if day.note:
            what.append(nodes.Text(f" {day.note}" if what else day.note))
        kind = (
            badge("Exercise day", "primary")
            if day.kind == "exercise"
            else badge("Project day", "success")
        )
        return [when, [kind], what]
