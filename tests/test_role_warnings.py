"""Every mistake in a role or a module header warns once, at its line, with its type."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from docutils import nodes
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

MakeApp = Callable[..., SphinxTestApp]

PAGE = """# Time plan

{module}`M9`

{session}`S5`

{fact}`colour`

{fact}`teacher`

{fact}`where`

{fact}`teacher.where`

{fact}`the code <code>`

{fact}` the repo <links.repository> `

```{module-header}
```

{ex}`hard 5 min`

```{session-page}
```
"""


def test_each_mistake_warns_at_its_line(make_app: MakeApp, handbook_src: Path):
    (handbook_src / "timeplan.md").write_text(PAGE, encoding="utf-8")
    # Read, not written: the warnings come from reading, and a quick test is the one
    # `nox -s mutants` runs first on every mutant of the roles.
    app = make_app("dummy", srcdir=handbook_src)
    app.build()
    page = handbook_src / "timeplan.md"
    assert strip_colors(app.warning.getvalue()).splitlines() == [
        f"{page}:3: WARNING: unknown module 'M9' (known: M1 to M3) [handbook.role]",
        f"{page}:5: WARNING: unknown session 'S5' (known: S1 to S2) [handbook.role]",
        f"{page}:7: WARNING: course.yaml has no fact 'colour' [handbook.role]",
        f"{page}:9: WARNING: fact 'teacher' is not a single value [handbook.role]",
        f"{page}:11: WARNING: course.yaml has no fact 'where' [handbook.role]",
        f"{page}:13: WARNING: course.yaml has no fact 'teacher.where' [handbook.role]",
        f"{page}:15: WARNING: fact 'code' is not a URL, so it cannot take a link title "
        "[handbook.role]",
        f"{page}:19: WARNING: module-header is on a page that modules.yaml does not list as a "
        "module page [handbook.module]",
        f"{page}:22: WARNING: exercise level and time 'hard 5 min' not understood: write "
        "{ex}`core 20 min` or {ex}`stretch 45 min` (minutes from 1 to 999) [handbook.exercise]",
        f"{page}:24: WARNING: session-page is on a page that sessions.yaml does not list as a "
        "session page [handbook.session]",
    ]
    # A role that failed shows what was written, as code; the rest of the page still builds.
    tree = app.env.get_doctree("timeplan")
    assert [n.astext() for n in tree.findall(nodes.literal)] == [
        "M9", "S5", "colour", "teacher", "where", "teacher.where", "the code <code>", "hard 5 min"
    ]  # fmt: skip
    # The exercise check then knows the item's level and time were reported already.
    assert [n["classes"] for n in tree.findall(nodes.literal)][-1] == ["handbook-exercise-unread"]
    links = [(n.astext(), n["refuri"]) for n in tree.findall(nodes.reference)]
    assert links == [("the repo", "https://example.org/repo")]


def test_a_module_title_that_differs_from_the_data_warns_with_both(
    make_app: MakeApp, handbook_src: Path, edit: Callable[[Path, str, str], None]
):
    edit(handbook_src / "sessions/s1_first/sawing.md", "# Sawing", "# Sewing")
    app = make_app("dummy", srcdir=handbook_src)
    app.build()
    page = handbook_src / "sessions/s1_first/sawing.md"
    assert strip_colors(app.warning.getvalue()).splitlines() == [
        f"{page}:1: WARNING: page title 'Sewing' differs from the title of M2 in modules.yaml "
        "('Sawing'); change one of them [handbook.module]"
    ]


def test_an_unknown_session_in_a_course_without_sessions_says_there_are_none(
    make_app: MakeApp, handbook_src: Path
):
    data = handbook_src / "_data"
    (data / "sessions.yaml").write_text("sessions: []\n", encoding="utf-8")
    (data / "modules.yaml").write_text("modules: []\n", encoding="utf-8")
    (data / "checklist.yaml").write_text("items: []\n", encoding="utf-8")
    timeplan = (data / "timeplan.yaml").read_text(encoding="utf-8")
    (data / "timeplan.yaml").write_text(
        timeplan.replace("kind: exercise\n    session: S1\n", "kind: project\n"), encoding="utf-8"
    )
    shutil.rmtree(handbook_src / "sessions")
    (handbook_src / "timeplan.md").write_text(
        "# Time plan\n\n```{session-overview} S1\n```\n\n{session}`S1`\n", encoding="utf-8"
    )
    app = make_app("dummy", srcdir=handbook_src)
    app.build()
    assert (
        f"{handbook_src / 'timeplan.md'}:3: WARNING: session-overview: unknown session 'S1' "
        "(known: none) [handbook.session]"
    ) in strip_colors(app.warning.getvalue()).splitlines()
    assert (
        f"{handbook_src / 'timeplan.md'}:6: WARNING: unknown session 'S1' (known: none) "
        "[handbook.role]"
    ) in strip_colors(app.warning.getvalue()).splitlines()
