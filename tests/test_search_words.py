"""The word list beside the search index, from which the search box corrects typos."""

from __future__ import annotations

from mlops_handbook.search.index import page_words


def article(text: str) -> str:
    return f"<main><div data-pagefind-body>{text}</div></article>"


def test_words_with_letters_beyond_ascii_stay_whole() -> None:
    words = page_words(article("<p>Rasmus Ørtoft Aagaard and Søren Hauberg</p>"))
    assert "ørtoft" in words
    assert "søren" in words
    assert "rtoft" not in words


def test_hyphenated_words_give_their_parts_and_the_joined_word() -> None:
    assert page_words(article("<p>pre-commit hooks, v1.2</p>")) == ["commit", "precommit", "hooks"]


def test_only_the_indexed_article_counts() -> None:
    page = "<nav>navigation sidebar</nav>" + article("<p>dockerfile</p>")
    assert page_words(page) == ["dockerfile"]
