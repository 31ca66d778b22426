"""The table of teaching assistants."""

from __future__ import annotations

from docutils import nodes

from .common import DataDirective, table


class TaTable(DataDirective):
    """Every TA with their hours; the count and on-duty note come with it."""

    def run(self) -> list[nodes.Node]:
        self.uses("tas")
        tas = self.data.tas
        rows = [[str(i), ta.name, self.data.ta_hours(ta)] for i, ta in enumerate(tas.tas, start=1)]
        summary = nodes.paragraph(
            text=f"{len(tas.tas)} teaching assistants; {tas.on_duty}. "
            f"Their hours on course days: {tas.hours}."
        )
        return [summary, table(["#", "Name", "Hours"], rows, ["handbook-tas"], [1, 6, 3])]
