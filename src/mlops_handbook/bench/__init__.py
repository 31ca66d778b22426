"""``nox -s bench``: how long the builds maintainers wait for take, against the book's goals.

Every measurement runs on a private copy of the book in a temporary folder, through the same
commands maintainers run, so the repository and its ``build/`` are never touched.
"""
