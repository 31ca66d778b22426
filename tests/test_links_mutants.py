"""The link scanner's edges found by ``nox -s mutants``: each test fails with a surviving mutant."""

from __future__ import annotations

import pytest

from mlops_handbook.links.internal import Link, parse_page

from .test_links_internal import reference


@pytest.mark.parametrize("space", [" ", "\t", "\n", "  "])
def test_a_srcset_descriptor_after_any_white_space_is_not_part_of_the_url(space: str):
    """HTML separates an image's URL from its width or density by any white space."""
    text = f'<p>\n<img srcset="small.png{space}1x,big.png{space}2x, ,">\n'
    assert parse_page(text).links == [Link("small.png", 2, "img"), Link("big.png", 2, "img")]
    assert parse_page(text) == reference(text)  # what html.parser reads, tags included
