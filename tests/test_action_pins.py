"""Every GitHub Action in the pages and the example is on the one major the data pins."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mlops_handbook.action_pins import PINS, ROOTS, bump, check, load_pins, main

ROOT = Path(__file__).resolve().parents[1]

WORKFLOW = """\
jobs:
  test:
    steps:
      - uses: actions/checkout@v4
      - uses: "astral-sh/setup-uv@v7"
      - uses: owner/unknown-action@v1
      - uses: google-github-actions/auth@v3 # comment
With pip, `actions/setup-python@v5` caches too; mail git@github.com is no action.
"""


def test_every_action_in_the_book_uses_the_pinned_major() -> None:
    pins = load_pins(ROOT / PINS)
    assert pins["actions/checkout"] == "v7"
    assert [str(p) for root in ROOTS for p in check(ROOT / root, pins)] == []


def test_check_names_file_line_and_the_right_major(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text(WORKFLOW)
    pins = {
        "actions/checkout": "v7",
        "astral-sh/setup-uv": "v7",
        "google-github-actions/auth": "v3",
    }
    assert [str(p) for p in check(tmp_path, pins)] == [
        f"{tmp_path}/page.md:4: actions/checkout@v4: use @v7 (from {PINS})",
        f"{tmp_path}/page.md:6: owner/unknown-action is not in {PINS}: add its major",
        f"{tmp_path}/page.md:8: actions/setup-python is not in {PINS}: add its major",
    ]


def test_bump_rewrites_every_use_in_one_go(tmp_path: Path) -> None:
    (tmp_path / "example" / ".github").mkdir(parents=True)
    workflow = tmp_path / "example" / ".github" / "ci.yaml"
    workflow.write_text(WORKFLOW)
    pins = {
        "actions/checkout": "v8",
        "astral-sh/setup-uv": "v7",
        "google-github-actions/auth": "v4",
    }
    assert bump(tmp_path, pins) == [workflow]
    text = workflow.read_text()
    assert "actions/checkout@v8" in text and "google-github-actions/auth@v4 # comment" in text
    assert '"astral-sh/setup-uv@v7"' in text and "owner/unknown-action@v1" in text
    assert bump(tmp_path, pins) == []


def test_a_bad_major_in_the_table_names_the_file(tmp_path: Path) -> None:
    table = tmp_path / "actions.yaml"
    table.write_text("actions/checkout: 7\n")
    with pytest.raises(SystemExit, match=r"actions\.yaml.*'v7'"):
        load_pins(table)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "actions/checkout: v7\nactions/cache: [v4]\n",
            r"actions\.yaml:2: actions/cache needs a major",
        ),
        ("actions/checkout: v7\n  bad: : indent\n", r"actions\.yaml:2: not a YAML table"),
        ("actions/checkout: 'v7\n", r"actions\.yaml:\d+: not a YAML table"),
        ("- actions/checkout: v7\n", r"actions\.yaml:1: write lines like"),
        ("a: v7\ncheckout: v7\n", r"actions\.yaml:1: a key must name an action"),
        ("[a, b]: v7\n", r"actions\.yaml:1: a key must name an action"),
        ("x/y: v1\nx/y: v2\n", r"actions\.yaml:2: x/y is listed twice"),
        (
            "x/y: " + "[" * 5000 + "\n",
            r"actions\.yaml.*nested too deep|actions\.yaml:1: not a YAML",
        ),
    ],
    ids=[
        "a list as a major",
        "bad indent",
        "open quote",
        "a list",
        "no owner",
        "list key",
        "twice",
        "deep",
    ],
)
def test_a_broken_table_is_one_located_message_not_a_traceback(
    tmp_path: Path, text: str, expected: str
) -> None:
    table = tmp_path / "actions.yaml"
    table.write_text(text, encoding="utf-8")
    with pytest.raises(SystemExit, match=expected):
        load_pins(table)


def test_an_unreadable_or_missing_table_says_what_to_do(tmp_path: Path) -> None:
    table = tmp_path / "actions.yaml"
    with pytest.raises(SystemExit, match=r"actions\.yaml: missing"):
        load_pins(table)
    table.write_bytes("actions/checkout: v7 # Søren\n".encode("latin-1"))
    with pytest.raises(SystemExit, match=r"actions\.yaml: cannot be read as UTF-8.*save it"):
        load_pins(table)


def test_command_line_check_and_bump(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "docs" / "_data").mkdir(parents=True)
    (tmp_path / PINS).write_text("actions/checkout: v7\n")
    page = tmp_path / "docs" / "page.md"
    page.write_text("- uses: actions/checkout@v4\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 1
    assert main(["bump"]) == 0
    assert page.read_text() == "- uses: actions/checkout@v7\n"
    assert main(["nonsense"]) == 2
    assert os.getcwd() == str(tmp_path)
