"""serve compiles once, before it forks its rebuilds, what each rebuild would compile again."""

from __future__ import annotations

import subprocess
import sys

# Every selector pydata-sphinx-theme's navigation (toctree.py) and sidebar.py select with.
THEME_SELECTORS = (
    "li",
    "li.toctree-l1 > details",
    ".toc-h1",
    ".toc-h2",
    "details > a.reference",
    "details > p.caption",
    "li.has-children > details > summary",
)

# In a new process, so that no earlier test has compiled soupsieve's grammar already.
COUNT_COMPILES = """
import re, sys
import soupsieve
from mlops_handbook.serve.__main__ import compile_selector_grammar
compile_selector_grammar()
compiled = []
original = re.compile
re.compile = lambda pattern, flags=0: compiled.append(pattern) or original(pattern, flags)
for selector in sys.argv[1:]:
    soupsieve.compile(selector)
print(len(compiled))
"""


def test_the_themes_selectors_compile_no_regular_expression_after_warming():
    args = [sys.executable, "-c", COUNT_COMPILES, *THEME_SELECTORS]
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "0"
