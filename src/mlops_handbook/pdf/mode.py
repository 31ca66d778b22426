"""Which build is running: the print build is ``singlehtml`` with the ``print`` tag."""

from __future__ import annotations

from sphinx.application import Sphinx

PRINT_TAG = "print"


def is_print_build(app: Sphinx) -> bool:
    return app.builder.name == "singlehtml" and app.tags.has(PRINT_TAG)
