"""``nox -s serve``: rebuild the site on every save, exactly as ``nox -s html`` builds it.

Each rebuild is the maintainers' own build (``-W --keep-going -n``, the internal link check,
then publishing to ``build/html``), run in a child forked from the server, so Sphinx and the
extensions are imported once and no state of one build leaks into the next. The server adds
a small script to every page it serves: it reloads the page after a successful rebuild and
shows the last failed build's warnings and errors as a banner until a build succeeds.
"""
