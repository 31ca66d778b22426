"""Pages that another branch rewrites for issue 12 ("own exercises": M12, M19, M29).

The checks for retired names and action majors skip these pages until that branch lands, and
fail as soon as a listed page no longer needs skipping, so the list can only shrink. When the
branches are merged, empty it.
"""

AWAITING_REDESIGN = frozenset(
    {
        "docs/sessions/s4_debugging_and_logging/debugging.md",
        "docs/sessions/s5_continuous_integration/cml.md",
        "docs/sessions/s9_scalable_applications/data_loading.md",
    }
)


def split_pending(found: list[str]) -> tuple[list[str], set[str]]:
    """Findings (``path:line: ...``) outside the pending pages, and the pending pages hit."""
    outside = [f for f in found if f.split(":", 1)[0] not in AWAITING_REDESIGN]
    return outside, {f.split(":", 1)[0] for f in found} & AWAITING_REDESIGN
