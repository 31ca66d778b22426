"""Earlier editions stay online: each git tag ``edition/<year>-<month>`` is built and published.

``nox -s editions`` builds every tagged earlier edition in a ``git worktree`` of its tag, with
the tag's own sources, code and data, then assembles ``build/pages/``: the current edition's
site (``build/html``) at the root and each earlier one under ``/<edition>/``, e.g.
``/2026-january/``, with its PDFs. Every page gets a bar with an edition switcher; an earlier
edition's pages also say "archived edition" and link to the current one. Each edition is also a
zip of its offline site under ``/editions/``.
"""
