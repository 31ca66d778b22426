"""A loss history that starts empty on every call (the good coding practice module, Bugbear)."""


def record(loss: float, history: list[float] | None = None) -> list[float]:
    """Append a loss to history, starting a new list when none is given."""
    history = [] if history is None else history
    history.append(loss)
    return history


if __name__ == "__main__":
    print(record(0.5), record(0.3))
