"""A small book with broken links of every kind the internal checker must catch."""

project = "links-internal"
extensions = ["myst_parser"]
html_theme = "sphinx_book_theme"
html_static_path = ["_static"]
# A link written into the theme's footer: on every page, in no source file.
html_theme_options = {"extra_footer": '<a href="retired.html">the old site</a>'}
myst_heading_anchors = 2
suppress_warnings = ["image.not_readable", "myst.xref_missing"]
