"""Pages' "Last updated" dates: git is asked once per commit, and the kept answers are git's."""

from __future__ import annotations

import subprocess
from dataclasses import fields
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import sphinx_last_updated_by_git as by_git

from mlops_handbook import last_updated
from mlops_handbook.config import HandbookConfig
from mlops_handbook.last_updated import ASK_GIT, DATES_FILE, GitDates, remember_dates


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def commit(repo: Path, name: str, text: str, when: str) -> None:
    (repo / name).write_text(text, encoding="utf-8")
    git(repo, "add", name)
    env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", name],
        cwd=repo,
        check=True,
        capture_output=True,
        env={**env, "PATH": "/usr/bin:/bin", "HOME": str(repo)},
    )


def asked_git(repo: Path, cache: Path, names: list[str]) -> tuple[dict[str, Any], list[str]]:
    """The dates of ``names`` through a fresh :class:`GitDates`, and the names git was asked."""
    asked: list[str] = []

    def ask(folder: Path, exclude: set[bytes], dates: dict[str, Any]) -> None:
        asked.extend(dates)
        ASK_GIT(folder, exclude, dates)

    dates: dict[str, Any] = dict.fromkeys(names)
    remembered = GitDates(cache)
    remembered.asking(ask)(repo, set(), dates)
    remembered.save()  # as the build does when it finishes
    return dates, asked


def test_git_is_asked_again_only_after_a_commit(tmp_path: Path):
    repo, cache = tmp_path / "repo", tmp_path / "doctrees" / DATES_FILE
    repo.mkdir()
    git(repo, "init", "-q")
    commit(repo, "a.md", "one", "2026-01-05T10:00:00+00:00")
    commit(repo, "b.md", "two", "2026-01-06T10:00:00+00:00")
    (repo / "untracked.md").write_text("new", encoding="utf-8")
    names = ["a.md", "b.md", "untracked.md"]

    first, asked = asked_git(repo, cache, names)
    assert sorted(asked) == names
    assert first["a.md"][0] == str(1767607200).encode()  # as git printed it
    assert first["untracked.md"] is None
    again, asked = asked_git(repo, cache, names)
    assert (again, asked) == (first, [])  # the next build: no git log at all

    (repo / "a.md").write_text("edited, not committed", encoding="utf-8")
    assert asked_git(repo, cache, names) == (first, [])  # git dates commits, not saves
    commit(repo, "a.md", "three", "2026-01-07T10:00:00+00:00")
    after, asked = asked_git(repo, cache, names)
    assert sorted(asked) == names  # a new commit: every answer may have changed
    assert after["a.md"][0] == str(1767780000).encode()
    assert after["b.md"] == first["b.md"]
    assert len(GitDates(cache).known) == len(names)  # the last commit's answers only


def test_a_broken_cache_means_asking_git(tmp_path: Path):
    repo, cache = tmp_path / "repo", tmp_path / DATES_FILE
    repo.mkdir()
    git(repo, "init", "-q")
    commit(repo, "a.md", "one", "2026-01-05T10:00:00+00:00")
    cache.write_bytes(b"not a pickle")
    dates, asked = asked_git(repo, cache, ["a.md"])
    assert asked == ["a.md"]
    assert dates["a.md"][0] == str(1767607200).encode()
    assert GitDates(cache).commit_time(repo, "a.md") == 1767607200


def test_the_answers_are_kept_where_the_configuration_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """``handbook_git_dates_cache`` (build/.cache/, which --clean keeps), else the doctrees."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    commit(repo, "a.md", "one", "2026-01-05T10:00:00+00:00")
    monkeypatch.setattr(by_git, "update_file_dates", ASK_GIT)  # restored after the test
    for setting, kept in (
        ("cache/dates.pickle", "cache/dates.pickle"),
        ("", "doctrees/" + DATES_FILE),
    ):
        values = {f"handbook_{f.name}": f.default for f in fields(HandbookConfig)}
        config = SimpleNamespace(**values | {"handbook_git_dates_cache": setting})
        handlers: dict[str, Any] = {}
        app = SimpleNamespace(
            config=config,
            confdir=str(tmp_path),
            doctreedir=str(tmp_path / "doctrees"),
            connect=lambda event, handler, found=handlers, **_: found.setdefault(event, handler),
        )
        remember_dates(app)  # type: ignore[arg-type]
        dates: dict[str, Any] = {"a.md": None}
        by_git.update_file_dates(repo, set(), dates)
        assert dates["a.md"][0] == str(1767607200).encode()
        assert not (tmp_path / kept).exists()  # written once, when the build finishes
        handlers["build-finished"](app, None)
        assert (tmp_path / kept).is_file()


def test_git_is_asked_once_per_repository_not_per_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    repo = tmp_path / "repo"
    (repo / "one" / "deep").mkdir(parents=True)
    git(repo, "init", "-q")
    commit(repo, "one/a.md", "one", "2026-01-05T10:00:00+00:00")
    inner = repo / "inner"  # another repository inside it, as a submodule is
    inner.mkdir()
    git(inner, "init", "-q")
    commit(inner, "b.md", "two", "2026-01-06T10:00:00+00:00")
    asked: list[Path] = []
    ask = last_updated.checked_out

    def checked_out(folder: Path) -> str | None:
        asked.append(folder)
        return ask(folder)

    monkeypatch.setattr(last_updated, "checked_out", checked_out)
    dates = GitDates(tmp_path / DATES_FILE)
    states = [dates.state(f) for f in (repo, repo / "one", repo / "one" / "deep", inner)]
    assert asked == [repo, inner]
    assert states[0] == states[1] == states[2] != states[3]
    assert states[3] is not None and str(inner) in states[3]
