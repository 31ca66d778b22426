"""A tiny handbook for the PDF tests: two sessions, three modules, every printing hazard."""

project = "PDF test handbook"
author = "Test Teacher"
version = release = "0.1"
language = "en"
extensions = ["myst_parser", "sphinx_design", "sphinxcontrib.mermaid", "mlops_handbook"]
exclude_patterns = ["_data"]
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3
mermaid_output_format = "svg"
mermaid_cmd = "mmdr"
html_theme = "sphinx_book_theme"
html_baseurl = "https://example.org/handbook/"
