"""A block with the course's key facts, for the landing and organisation pages."""

from __future__ import annotations

from docutils import nodes

from .common import DataDirective, field_list, long_date


class CourseFacts(DataDirective):
    def run(self) -> list[nodes.Node]:
        self.uses("course")
        course = self.data.course
        edition = course.edition
        rows = [
            ("Course", f"{course.code} {course.name}"),
            ("Edition", f"{edition.label}: {long_date(edition.start)} to {long_date(edition.end)}"),
            ("Credits", f"{course.ects} ECTS"),
            ("Level", course.level),
            ("Length", course.length),
            ("Workload", course.workload),
            ("Grading", course.grading),
            ("Assessment", course.assessment),
            ("Groups", course.group_size),
            ("Teacher", f"{course.teacher.name}, {course.teacher.title}"),
        ]
        return [field_list(rows, ["handbook-course-facts"])]
