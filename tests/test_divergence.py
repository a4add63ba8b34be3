"""Divergence is seen for every kind of output, and never in ordinary training.

``train`` raises TrainingDiverged when a step's loss is not finite, when a weight
or bias is NaN, infinite or absurdly large after an epoch, or when the loss has
stayed far above where it started (see ``nnlib.gradient_descent.train``).
"""

import re

import numpy as np
import pytest

from nnlib import gradient_descent as gd
from nnlib.datasets import logic_gate, noisy_curve, one_hot, spirals, two_moons
from nnlib.gradcheck import gradcheck
from nnlib.gradient_descent import TrainingDiverged, train
from nnlib.layer import Dense
from nnlib.network import Network

XOR = logic_gate("xor")


def xor_net(output, seed=0):
    return Network.from_sizes([2, 4, 1], activation="tanh", output_activation=output, seed=seed)


def spiral_data():
    X, labels = spirals(50, 3, seed=0)
    return X, labels


def assert_names_where(error: TrainingDiverged, rate: float):
    message = str(error)
    match = re.search(r"at step (\d+) \(epoch (\d+)\) with learning_rate=(\S+):", message)
    assert match, message
    assert (int(match.group(1)), int(match.group(2))) == (error.step, error.epoch)
    assert float(match.group(3)) == rate == error.learning_rate
    assert error.history is not None and error.history.learning_rate == rate
    assert len(error.history.step_loss) in (error.step, error.step - 1)
    assert "smaller learning rate" in message


# (network, X, y, loss, learning rate, batch size, what the reason must say)
DIVERGING = {
    # the loss frozen far above its start (it was 13.82 with the clipped BCE; from the
    # logits it is the real, growing loss)
    "sigmoid output, BCE, rate 1e6": (
        lambda: xor_net("sigmoid"), *XOR, "bce", 1e6, None,
        r"the loss has stayed above 10 times its start 0\.7081 for most of the last 50 epochs"),
    # tanh outputs keep MSE below 4: the saturating weights give it away
    "tanh output, MSE, rate 1e6": (
        lambda: xor_net("tanh"), *XOR, "mse", 1e6, None,
        r"layer \d's (weights|bias) grew to .*above 1e\+06, where a tanh layer saturates"),
    "softmax output, MSE on one-hot labels, rate 1e9": (
        lambda: Network.from_sizes([2, 16, 3], activation="tanh", output_activation="softmax",
                                   seed=0),
        spiral_data()[0], one_hot(spiral_data()[1], 3), "mse", 1e9, 32,
        r"grew to .*where a (tanh|softmax) layer saturates its nodes"),
    "softmax cross-entropy on a linear output, rate 1000": (
        lambda: Network.from_sizes([2, 16, 3], activation="tanh", output_activation="linear",
                                   seed=0),
        *spiral_data(), "softmax_cross_entropy", 1000.0, 32,
        r"the loss has stayed above 10 times its start"),
    # a linear output whose loss grows without bound (it used to run on to 1e223 and beyond)
    "linear output, MSE, rate 10": (
        lambda: xor_net("linear"), *XOR, "mse", 10.0, None,
        r"the loss has stayed above 10 times its start .* at 2\.\d+e\+19\d"),
    "linear output, MSE, infinite loss": (
        lambda: Network.from_sizes([1, 8, 1], activation="relu", output_activation="linear",
                                   seed=0),
        *noisy_curve(n=30, seed=0), "mse", 1e3, 7, r"the loss became inf"),
}


@pytest.mark.parametrize("case", list(DIVERGING))
def test_divergence_is_seen_for_every_output(case):
    make, X, y, loss, rate, batch_size, reason = DIVERGING[case]
    with pytest.raises(TrainingDiverged, match=reason) as info:
        train(make(), X, y, loss=loss, learning_rate=rate, epochs=300, batch_size=batch_size)
    assert_names_where(info.value, rate)
    assert re.match(reason, info.value.reason) or re.search(reason, info.value.reason)


def test_non_finite_parameters_are_seen_after_the_epoch():
    def poison(epoch, history):
        if epoch == 3:
            net.layers[0].weights[0, 0] = np.nan  # in place, as a buggy callback might

    net = xor_net("sigmoid")
    with pytest.raises(TrainingDiverged, match=r"layer 1's weights grew to nan") as info:
        train(net, *XOR, loss="bce", learning_rate=0.5, epochs=20, callback=poison)
    assert (info.value.epoch, info.value.history.epochs) == (3, 3)


def test_the_limits_follow_the_dtype_and_the_activation():
    f64 = gd._parameter_limits(Network([Dense(2, 3, "relu"), Dense(3, 1, "sigmoid")]))
    f32 = gd._parameter_limits(Network([Dense(2, 3, "linear", dtype=np.float32)]))
    assert f64 == [pytest.approx(1.34e154, rel=1e-2), gd.SATURATED]
    assert f32 == [pytest.approx(1.84e19, rel=1e-2)]  # products of two overflow float32


ORDINARY = {
    "xor, sigmoid, BCE": (lambda: xor_net("sigmoid"), *XOR, "bce", 1.0, None, 2000),
    "xor, tanh output, MSE": (lambda: xor_net("tanh"), *XOR, "mse", 0.1, None, 2000),
    "xor, linear output, MSE": (lambda: xor_net("linear"), *XOR, "mse", 0.1, None, 2000),
    "moons, sigmoid, BCE, batch 16": (
        lambda: Network.from_sizes([2, 8, 1], activation="tanh", output_activation="sigmoid",
                                   seed=1), *two_moons(100, seed=0), "bce", 3.0, 16, 300),
    "spirals, softmax cross-entropy, batch 32": (
        lambda: Network.from_sizes([2, 16, 3], activation="relu", output_activation="linear",
                                   seed=0), *spiral_data(), "softmax_cross_entropy", 0.5, 32,
        500),
    "curve, relu, MSE, batch 1": (
        lambda: Network.from_sizes([1, 8, 1], activation="relu", output_activation="linear",
                                   seed=0), *noisy_curve(n=30, seed=0), "mse", 0.01, 1, 300),
}


@pytest.mark.parametrize("case", list(ORDINARY))
def test_ordinary_training_never_raises(case):
    make, X, y, loss, rate, batch_size, epochs = ORDINARY[case]
    history = train(make(), X, y, loss=loss, learning_rate=rate, epochs=epochs,
                    batch_size=batch_size)
    assert history.epochs == epochs and history.loss[-1] < history.step_loss[0]


def test_xor_at_rate_10_spikes_and_recovers_without_raising():
    # What train does here is decided and documented in its docstring: it returns.
    history = train(xor_net("sigmoid"), *XOR, loss="bce", learning_rate=10.0, epochs=300,
                    shuffle=False)
    losses = np.array(history.loss)
    start = history.step_loss[0]
    assert start == pytest.approx(0.7081, abs=1e-4)
    assert int(losses.argmax()) + 1 == 8 and losses.max() == pytest.approx(9.79, abs=0.01)
    assert (losses > gd.RISE * start).sum() == 15  # above the line, but not for long
    assert losses[-1] < 1e-3  # about 1.4e-4 after 300 epochs
    # the same run does diverge if the loss stays up: the rule is the median of 50 epochs
    assert np.median(losses[7:57]) < gd.RISE * start


@pytest.mark.parametrize("bad", [5, "plot", [print], object()])
def test_a_callback_that_cannot_be_called_is_refused_before_training(bad):
    net = xor_net("sigmoid")
    before = net.layers[0].weights.copy()
    with pytest.raises(TypeError, match=r"callback must be a function callback\(epoch, "
                                        r"history\) or None, got"):
        train(net, *XOR, loss="bce", epochs=5, callback=bad)
    np.testing.assert_array_equal(net.layers[0].weights, before)  # nothing was trained


@pytest.mark.parametrize("thing, name", [(Dense(2, 1), "Dense"), (None, "NoneType"),
                                         ("net", "str"), ([Dense(2, 1)], "list")])
def test_train_and_gradcheck_want_a_network(thing, name):
    for call in (lambda: train(thing, *XOR, loss="bce"), lambda: gradcheck(thing, *XOR, "mse")):
        with pytest.raises(TypeError, match=rf"expects a Network, got {name}"):
            call()
    if name == "Dense":
        with pytest.raises(TypeError, match=r"for a single layer use Network\(\[layer\]\)"):
            train(thing, *XOR)
