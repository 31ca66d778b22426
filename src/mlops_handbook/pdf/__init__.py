"""The handbook as one PDF: a print build of the site, printed by headless Chromium."""

from .print_build import setup_print

__all__ = ["setup_print"]
