"""A tiny book whose external links point at a test server (``http://SERVER``, set by the test)."""

from mlops_handbook.links import setup_links

project = "links-external"
# Long enough for a busy machine to answer the quick pages; the slow page never answers in time.
linkcheck_timeout = 3


def setup(app):
    setup_links(app)
