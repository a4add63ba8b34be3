"""Every exercise of lessons 5 and 6: its solution is right, a usual mistake is not.

For each exercise in ``EXERCISES``:

- the solution code, run on its own (with only ``np`` and ``nnlib``), gives an
  answer that checks as correct;
- a plausible wrong answer checks as "[not yet]" with a reason;
- the ``...`` placeholder checks as "[not attempted]".
"""


import numpy as np
import pytest

from nnlib.exercises import lesson05, lesson06


def _sigmoid_itself(z):
    # A usual slip: returning the sigmoid instead of its slope.
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def _sigmoid_slope_plus(z):
    s = 1 / (1 + np.exp(-np.asarray(z, dtype=float)))
    return s * (1 + s)


def _shape_breaker(z):
    return float(np.sum(z))


WRONG = {
    # lesson 5
    "loss_slope": [0.49, 1.4, -0.7, 0.0],
    "chain_rule_dw": [1.3272489, -0.2942682, 0.1471341, 0.5],
    "sigmoid_slope": [_sigmoid_itself, _sigmoid_slope_plus, _shape_breaker, 0.25],
    "update_step": [0.8, 0.6896494, 1.0207, 0.0],
    # lesson 6
    "steps_per_epoch": [15, 15.625, 1000, 64],
    "total_updates": [7, 90, 93.75, 3000],
    "pick_learning_rate": [0.01, 0.1, 10.0, 20.0, 1e6, -1.0, "fast", float("nan")],
    "diverged_curve": ["A", "c", "D", 2],
    "overshooting_path": ["A", "c", "D", 2],
}

MODULES = [lesson05, lesson06]
EXERCISES = [(module.__name__.rsplit(".", 1)[-1], ex) for module in MODULES
             for ex in module.EXERCISES]
IDS = [f"{lesson}.{ex.key}" for lesson, ex in EXERCISES]


@pytest.mark.parametrize("lesson, exercise", EXERCISES, ids=IDS)
def test_wrong_answers_get_a_reason(lesson, exercise):
    for wrong in WRONG[exercise.key]:
        feedback = exercise.check(wrong)
        text = repr(feedback)
        assert not feedback, f"{lesson}.{exercise.key}: {wrong!r} was accepted"
        assert text.startswith("[not yet] ")
        assert len(text) > len("[not yet] ") + 10, text


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_exercise_list_is_complete(module):
    from nnlib.exercises import Exercise

    defined = [v for v in vars(module).values() if isinstance(v, Exercise)]
    assert len(module.EXERCISES) >= 2
    assert {id(e) for e in defined} == {id(e) for e in module.EXERCISES}
    keys = [e.key for e in module.EXERCISES]
    assert len(set(keys)) == len(keys)
    assert set(keys) <= set(WRONG)


def test_expected_values_come_from_nnlib():
    # Cross-check a few expected values against the formulas the lessons teach.
    a, y = 0.3, 1.0
    assert lesson05.loss_slope.check(2 * (a - y))
    x, w, b, y = 2.0, -0.5, 0.3, 0.0
    s = 1 / (1 + np.exp(-(w * x + b)))
    assert lesson05.chain_rule_dw.check(2 * (s - y) * s * (1 - s) * x)
    assert lesson06.count_steps(1000, 64, 1) == 16
    assert lesson06.count_steps(200, 32, 15) == 105
    assert lesson06.count_steps(10, None, 3) == 3


def test_mystery_curves_have_one_divergence():
    curves = lesson06.mystery_curves()
    assert sorted(curves) == ["A", "B", "C"]
    diverged = [k for k, (_, d) in lesson06._mystery_runs().items() if d]
    assert len(diverged) == 1
    assert len(curves[diverged[0]]) < lesson06.MYSTERY_EPOCHS
    assert all(np.isfinite(v).all() for v in curves.values())




def test_a_rate_whose_loss_spikes_is_not_called_good():
    # At rate 10 the XOR loss climbs far above where it started, then happens to end tiny.
    run = lesson06.learning_rate_run(10.0)
    assert run["highest"] > lesson06.SPIKE * run["start"] and run["end"] < lesson06.TARGET_LOSS
    verdict = lesson06.pick_learning_rate.check(10)
    assert not verdict and "overshoot" in verdict.message and "jumped" in verdict.message
    # a rate that falls without a spike is still fine
    assert lesson06.pick_learning_rate.check(3.0)


def test_a_slope_function_returning_the_sigmoid_is_told_so():
    verdict = lesson05.sigmoid_slope.check(_sigmoid_itself)
    assert "the sigmoid itself" in verdict.message
