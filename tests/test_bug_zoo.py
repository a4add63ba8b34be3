"""The bug zoo: the correct layer passes both detectors, every exhibit shows its symptom.

- bugs 1-4 are caught by gradcheck ("wrong"), in the rows that point to them;
- bugs 5-6 pass gradcheck but their loss curves misbehave;
- the correct ZooDense, networks and training step pass gradcheck and train smoothly;
- every exhibit is nnlib's Dense (through ZooDense) with exactly one step replaced.
"""

import subprocess
import sys

import numpy as np
import pytest

from nnlib import bug_zoo as zoo
from nnlib.activation import sigmoid
from nnlib.gradcheck import gradcheck_layer
from nnlib.layer import Dense

EXHIBITS = [zoo.WrongSigmoidSlope, zoo.TransposedWeightGradient, zoo.AveragedBiasGradient,
            zoo.OverwritingGradients, zoo.UphillStep]
OVERRIDDEN = {zoo.WrongSigmoidSlope: "activation_backward",
              zoo.TransposedWeightGradient: "weight_gradient",
              zoo.AveragedBiasGradient: "bias_gradient",
              zoo.OverwritingGradients: "store_gradients",
              zoo.UphillStep: "step"}


def inputs(batch=4, n_in=3, seed=0):
    return np.random.default_rng(seed).standard_normal((batch, n_in))


def grades(report):
    return {name: g for name, _, _, g in report.rows}


@pytest.fixture(scope="module")
def data():
    return zoo.zoo_data()


@pytest.fixture(scope="module")
def correct_losses(data):
    return zoo.train_zoo(zoo.zoo_network(), *data)


# ----------------------------------------------------------------- the correct layer
@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("n_in, n_out, batch", [(3, 3, 4), (4, 2, 5), (1, 5, 1), (5, 1, 7)])
def test_correct_layer_passes_gradcheck(seed, n_in, n_out, batch):
    report = gradcheck_layer(zoo.ZooDense(n_in, n_out, seed=seed), inputs(batch, n_in, seed))
    assert set(grades(report).values()) == {"good"}, report


@pytest.mark.parametrize("seed", range(3))
def test_correct_chains_pass_gradcheck(seed):
    for model, n_in in [(zoo.used_twice(seed=seed), 3), (zoo.zoo_network(seed=seed), 1)]:
        report = gradcheck_layer(model, inputs(6, n_in, seed))
        assert set(grades(report).values()) == {"good"}, report


def test_layer_accumulates_until_zero_grad():
    layer = zoo.ZooDense(3, 2, seed=0)
    X = inputs(4, 3)
    layer.forward(X)
    layer.backward(np.ones((4, 2)))
    once = layer.grad_weights.copy(), layer.grad_bias.copy()
    layer.forward(X)
    layer.backward(np.ones((4, 2)))
    np.testing.assert_allclose(layer.grad_weights, 2 * once[0])
    np.testing.assert_allclose(layer.grad_bias, 2 * once[1])
    layer.zero_grad()
    assert not layer.grad_weights.any() and not layer.grad_bias.any()


def test_used_twice_shares_one_set_of_parameters():
    chain = zoo.used_twice(size=3, seed=0)
    assert chain.layers[0] is chain.layers[1]
    assert sorted(chain.parameters()) == ["layer1.bias", "layer1.weights"]
    X = inputs(2, 3)
    layer = chain.layers[0]
    expected = sigmoid(sigmoid(X @ layer.weights + layer.bias) @ layer.weights + layer.bias)
    np.testing.assert_allclose(chain.forward(X), expected)


def test_each_exhibit_overrides_exactly_one_step():
    for exhibit, method in OVERRIDDEN.items():
        own = [name for name, value in vars(exhibit).items() if callable(value)]
        assert own == [method], (exhibit.__name__, own)
        assert issubclass(exhibit, zoo.ZooDense)
        # the step it replaces is one that Dense (or ZooDense) really calls
        assert hasattr(zoo.ZooDense, method)


def test_the_zoo_layer_is_dense_that_adds_up_its_gradients():
    assert issubclass(zoo.ZooDense, Dense)
    own = {name for name, value in vars(zoo.ZooDense).items() if callable(value)}
    assert own == {"__init__", "__repr__", "zero_grad", "store_gradients", "step"}
    zoo_layer, dense = zoo.ZooDense(3, 2, seed=4), Dense(3, 2, "sigmoid", init="xavier", seed=4)
    X = inputs(5, 3)
    np.testing.assert_allclose(zoo_layer.forward(X), dense.forward(X))
    G = np.ones((5, 2))
    np.testing.assert_allclose(zoo_layer.backward(G), dense.backward(G))
    np.testing.assert_allclose(zoo_layer.grad_weights, dense.grad_weights)
    zoo_layer.step(0.5)  # the same update as nnlib's sgd_step
    np.testing.assert_allclose(zoo_layer.weights, dense.weights - 0.5 * dense.grad_weights)


def test_exhibit4_keeps_gradients_as_dense_itself_does():
    """Dense keeps only its last backward: right for a layer used once, and exactly the
    planted bug 4 for a layer used twice."""
    X = inputs(4, 3)
    for layer in (zoo.OverwritingGradients(3, 3, seed=2), Dense(3, 3, init="xavier", seed=2)):
        for G in (np.ones((4, 3)), np.full((4, 3), -2.0)):
            layer.forward(X)
            layer.backward(G)
        fresh = Dense(3, 3, init="xavier", seed=2)
        fresh.forward(X)
        fresh.backward(np.full((4, 3), -2.0))
        np.testing.assert_allclose(layer.grad_weights, fresh.grad_weights)
        np.testing.assert_allclose(layer.grad_bias, fresh.grad_bias)


# ------------------------------------------------------------- bugs 1-4: gradcheck
@pytest.mark.parametrize("seed", range(5))
def test_bug1_wrong_sigmoid_slope_breaks_every_row(seed):
    report = gradcheck_layer(zoo.WrongSigmoidSlope(3, 3, seed=seed), inputs(4, 3, seed))
    assert grades(report) == {"weights": "wrong", "bias": "wrong", "input": "wrong"}, report


@pytest.mark.parametrize("seed", range(5))
def test_bug2_transposed_weight_gradient_is_wrong_only_for_the_weights(seed):
    report = gradcheck_layer(zoo.TransposedWeightGradient(3, 3, seed=seed), inputs(4, 3, seed))
    assert grades(report) == {"weights": "wrong", "bias": "good", "input": "good"}, report


def test_bug2_is_a_shape_error_on_a_layer_that_is_not_square():
    layer = zoo.TransposedWeightGradient(4, 2, seed=0)
    layer.forward(inputs(5, 4))
    with pytest.raises(ValueError):
        layer.backward(np.ones((5, 2)))


@pytest.mark.parametrize("seed", range(5))
def test_bug3_averaged_bias_gradient_is_wrong_for_the_bias(seed):
    report = gradcheck_layer(zoo.AveragedBiasGradient(3, 3, seed=seed), inputs(4, 3, seed))
    assert grades(report) == {"weights": "good", "bias": "wrong", "input": "good"}, report
    # the mean is the sum / batch size: relative error (4 - 1) / (4 + 1)
    assert report.errors["bias"] == pytest.approx(0.6, rel=1e-6)


def test_bug3_hides_from_a_batch_of_one():
    report = gradcheck_layer(zoo.AveragedBiasGradient(3, 3, seed=0), inputs(1, 3))
    assert set(grades(report).values()) == {"good"}


@pytest.mark.parametrize("seed", range(5))
def test_bug4_overwriting_is_caught_only_when_a_layer_is_used_twice(seed):
    single = gradcheck_layer(zoo.OverwritingGradients(3, 3, seed=seed), inputs(4, 3, seed))
    assert set(grades(single).values()) == {"good"}
    twice = gradcheck_layer(zoo.used_twice(zoo.OverwritingGradients, 3, seed), inputs(4, 3, seed))
    assert grades(twice) == {"layer1.weights": "wrong", "layer1.bias": "wrong",
                             "input": "good"}, twice


# ------------------------------------------------------------ bugs 5-6: loss curves
def test_correct_training_falls_at_every_step(correct_losses):
    assert len(correct_losses) == 300
    assert np.all(np.diff(correct_losses) < 0)
    assert correct_losses[-1] < 0.005 < 0.05 < correct_losses[0]


def test_bug5_passes_gradcheck_but_its_loss_climbs(data, correct_losses):
    report = gradcheck_layer(zoo.UphillStep(3, 3, seed=0), inputs())
    assert set(grades(report).values()) == {"good"}
    losses = zoo.train_zoo(zoo.zoo_network(zoo.UphillStep), *data)
    assert losses[0] == correct_losses[0]
    assert losses[-1] > 0.3 > 4 * losses[0]
    assert np.sum(np.diff(losses) > 0) > 0.9 * len(losses)


def test_bug6_passes_gradcheck_but_its_loss_never_settles(data, correct_losses):
    # gradcheck resets before its one backward, so it cannot see a missing reset
    report = gradcheck_layer(zoo.zoo_network(), inputs(6, 1))
    assert set(grades(report).values()) == {"good"}
    losses = zoo.train_zoo(zoo.zoo_network(), *data, step_fn=zoo.training_step_without_reset)
    assert len(losses) == 300
    assert losses[:2] == correct_losses[:2]  # the first step has nothing to pile up yet
    assert np.sum(np.diff(losses) > 0) > 0.25 * len(losses)
    assert max(losses[-50:]) > 2 * correct_losses[-1]


def test_missing_reset_doubles_the_second_gradient():
    layer, X = zoo.ZooDense(3, 3, seed=0), inputs()
    for _ in range(2):
        layer.forward(X)
        layer.backward(np.ones((4, 3)))
    fresh = zoo.ZooDense(3, 3, seed=0)
    fresh.forward(X)
    fresh.backward(np.ones((4, 3)))
    np.testing.assert_allclose(layer.grad_weights, 2 * fresh.grad_weights)


def test_a_blow_up_stops_training_early_without_warnings(data):
    # bug 1 in the middle layer sends the weights to infinity within a few dozen steps
    chain = zoo.ZooNetwork([zoo.ZooDense(1, 5, seed=0), zoo.WrongSigmoidSlope(5, 5, seed=1),
                            zoo.ZooDense(5, 1, seed=2)])
    losses = zoo.train_zoo(chain, *data)
    assert 0 < len(losses) < 300
    assert np.all(np.isfinite(losses))


def test_quiet_bugs_still_train(data, correct_losses):
    for exhibit in (zoo.TransposedWeightGradient, zoo.AveragedBiasGradient):
        chain = zoo.ZooNetwork([zoo.ZooDense(1, 5, seed=0), exhibit(5, 5, seed=1),
                                zoo.ZooDense(5, 1, seed=2)])
        losses = zoo.train_zoo(chain, *data)
        assert losses[-1] < 1.1 * correct_losses[-1], exhibit.__name__


def test_training_is_reproducible(data, correct_losses):
    assert zoo.train_zoo(zoo.zoo_network(), *data) == correct_losses


def test_zoo_data_fits_a_sigmoid_output(data):
    x, y = data
    assert x.shape == y.shape == (40, 1)
    assert -1 <= x.min() < x.max() <= 1
    assert 0 < y.min() < y.max() < 1


# ---------------------------------------------------------------------- bad input
def test_bad_input_is_explained():
    with pytest.raises(ValueError, match="n_in"):
        zoo.ZooDense(0, 3)
    with pytest.raises(TypeError, match="n_out"):
        zoo.ZooDense(3, 2.5)
    with pytest.raises(ValueError, match="3 columns"):
        gradcheck_layer(zoo.ZooDense(3, 3), inputs(4, 2))
    with pytest.raises(ValueError, match="learning_rate"):
        zoo.train_zoo(zoo.zoo_network(), *zoo.zoo_data(), learning_rate=-1.0)
    with pytest.raises(TypeError, match="steps"):
        zoo.train_zoo(zoo.zoo_network(), *zoo.zoo_data(), steps=2.5)
    with pytest.raises(RuntimeError, match="forward"):
        zoo.ZooDense(3, 3).backward(np.ones((4, 3)))
    with pytest.raises(RuntimeError, match="forward"):
        zoo.zoo_network().backward(np.ones((4, 1)))


def test_bug_zoo_needs_numpy_only():
    code = ("import sys, nnlib.bug_zoo; "
            "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'IPython') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
