"""A tiny book whose external links point at a test server (``http://SERVER``, set by the test)."""

from mlops_handbook.links import setup_links

project = "links-external"
linkcheck_timeout = 1


def setup(app):
    setup_links(app)
