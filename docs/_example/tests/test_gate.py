from gate import decide


def verdicts(candidate: float, baseline: float | None) -> list[bool]:
    return [ok for _, ok, _ in decide(candidate, baseline, floor=0.90, tolerance=0.01)]


def test_a_model_below_the_floor_fails_even_without_a_baseline() -> None:
    assert verdicts(0.85, None) == [False, True]


def test_a_small_step_back_passes_and_a_large_one_fails() -> None:
    assert verdicts(0.958, 0.962) == [True, True]
    assert verdicts(0.931, 0.962) == [True, False]


def test_a_step_back_of_exactly_the_tolerance_passes() -> None:
    assert verdicts(0.95, 0.96) == [True, True]
