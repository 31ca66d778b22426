"""Which build is running: the print build is ``singlehtml`` with the ``print`` tag."""

from __future__ import annotations

from sphinx.application import Sphinx

PRINT_TAG = "print"

# The print build's page holds the whole book in this inert <template>: Chromium parses it but
# neither styles, lays out nor fetches images for it until the printer shows a piece of it.
BOOK_TEMPLATE_ID = "handbook-book"


def is_print_build(app: Sphinx) -> bool:
    return app.builder.name == "singlehtml" and app.tags.has(PRINT_TAG)
