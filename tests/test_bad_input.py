"""Bad input gives a ValueError or TypeError from nnlib that says what was expected and
what was given -- never a bare numpy error from deep inside."""

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from nnlib import activation as act
from nnlib import datasets as D
from nnlib import loss as L
from nnlib.checks import NotFiniteError
from nnlib.gradcheck import gradcheck, gradcheck_layer, gradcheck_loss
from nnlib.gradient_descent import accuracy, train
from nnlib.layer import Dense
from nnlib.learning_rate import check_learning_rate, sgd_step
from nnlib.network import Network
from nnlib.weights import init_weights

X4 = np.zeros((4, 2))  # four examples with two inputs each
Y4 = np.zeros((4, 1))


def net():
    return Network.from_sizes([2, 3, 1], seed=0)


def trained_once():
    n = net()
    n.backward(np.ones_like(n.forward(X4)))
    return n


def backward_with(grad):
    n = net()
    n.forward(X4)
    return n.backward(grad)


def nan_at(shape, index, value=np.nan):
    a = np.zeros(shape)
    a[index] = value
    return a


# (what is called, expected exception, regex the message must match)
CASES = {
    # a layer or network given the wrong input width
    "layer wrong width": (lambda: Dense(3, 2).forward(X4), ValueError,
                          r"X must have 3 columns \(one per input node\), got shape \(4, 2\)"),
    "network wrong width": (lambda: net().forward(np.zeros((4, 5))), ValueError,
                            r"X must have 2 columns .*got shape \(4, 5\) with 5"),
    "train wrong width": (lambda: train(net(), np.zeros((4, 3)), Y4), ValueError,
                          r"X must have 2 columns .*got shape \(4, 3\)"),
    # 1-D where 2-D is needed, and the reverse
    "1-D example": (lambda: net().forward(np.zeros(2)), ValueError,
                    r"X must be 2-D with shape \(batch, 2\).*got a 1-D array of shape \(2,\)"
                    r".*X\.reshape\(1, -1\)"),
    "1-D feature column": (lambda: Dense(1, 1).forward(np.zeros(5)), ValueError,
                           r"shape \(batch, 1\).*shape \(5,\).*X\.reshape\(-1, 1\)"),
    "3-D input": (lambda: net().forward(np.zeros((4, 2, 1))), ValueError,
                  r"X must be 2-D with shape \(batch, n_features\), got shape \(4, 2, 1\)"),
    "no examples": (lambda: net().forward(np.zeros((0, 2))), ValueError,
                    r"X must hold at least one example \(row\), got shape \(0, 2\)"),
    "1-D loss output": (lambda: L.MeanSquaredError()(np.zeros(4), np.zeros(4)), ValueError,
                        r"output must be 2-D.*got a 1-D array of shape \(4,\)"),
    "1-D logits": (lambda: L.probabilities([1.0, 2.0]), ValueError,
                   r"logits must be 2-D.*shape \(2,\)"),
    "jacobian of a batch": (lambda: act.softmax_jacobian(np.zeros((2, 3))), ValueError,
                            r"softmax_jacobian takes one example, shape \(n,\), "
                            r"got shape \(2, 3\)"),
    "one_hot of a column": (lambda: D.one_hot(np.zeros((4, 1), dtype=int)), ValueError,
                            r"labels must be 1-D \(one integer per example\), "
                            r"got shape \(4, 1\)"),
    # labels of the wrong shape or range
    "target (n,) for output (n, 1)": (lambda: L.MeanSquaredError()(Y4, np.zeros(4)), ValueError,
                                      r"target must have the same shape as the output "
                                      r"\(4, 1\), got \(4,\) - use target\.reshape\(-1, 1\)"),
    "train target (n,) for output (n, 1)": (lambda: train(net(), X4, np.zeros(4)), ValueError,
                                            r"\(4, 1\), got \(4,\) - use target\.reshape"),
    "target too wide": (lambda: L.SumSquaredError()(Y4, np.zeros((4, 2))), ValueError,
                        r"same shape as the output \(4, 1\), got \(4, 2\)$"),
    "bce target above 1": (lambda: L.BinaryCrossEntropy()(Y4 + 0.5, [[0], [1], [2], [1]]),
                           ValueError,
                           r"binary cross-entropy needs targets between 0 and 1 .*"
                           r"got values from 0 to 2"),
    "bce target below 0": (lambda: train(net(), X4, -Y4 - 1, loss="bce"), ValueError,
                           r"between 0 and 1.*got values from -1 to -1"),
    "labels >= n_classes": (lambda: L.SoftmaxCrossEntropy()(np.zeros((4, 3)), [0, 1, 2, 3]),
                            ValueError,
                            r"labels must be class indices from 0 to 2 \(the output has 3 "
                            r"columns\), got values from 0 to 3"),
    "negative label": (lambda: L.SoftmaxCrossEntropy()(np.zeros((2, 3)), [-1, 0]), ValueError,
                       r"from 0 to 2 .*got values from -1 to 0"),
    "labels of wrong length": (lambda: L.SoftmaxCrossEntropy()(np.zeros((4, 3)), [0, 1, 2]),
                               ValueError,
                               r"labels must have one entry per example, shape \(4,\), "
                               r"got \(3,\)"),
    "labels not whole": (lambda: L.SoftmaxCrossEntropy()(np.zeros((2, 3)), [0.5, 1.0]),
                         TypeError, r"labels must be whole numbers \(class indices\), got"),
    "labels as a column": (lambda: L.SoftmaxCrossEntropy()(np.zeros((4, 3)),
                                                           np.zeros((4, 1), dtype=int)),
                           ValueError, r"same shape as the output \(4, 3\), got \(4, 1\)"),
    "one-hot rows not adding to 1": (lambda: L.SoftmaxCrossEntropy()(np.zeros((2, 2)),
                                                                     np.ones((2, 2))),
                                     ValueError, r"rows of non-negative numbers adding up to 1, "
                                                 r"got values from 1 to 1 in rows adding up "
                                                 r"to 2 to 2"),
    "train labels out of range": (
        lambda: train(Network.from_sizes([2, 3], output_activation="linear"), X4, [0, 1, 2, 3],
                      loss="cross_entropy"),
        ValueError, r"from 0 to 2 .*got values from 0 to 3"),
    "softmax cross-entropy on a sigmoid output": (
        lambda: train(Network.from_sizes([2, 3]), X4, [0, 1, 2, 1], loss="cross_entropy"),
        ValueError, r"expects the raw scores of a 'linear' output layer, but the network's "
                    r"output layer is 'sigmoid'"),
    "bce on a linear output": (
        lambda: train(Network.from_sizes([2, 1], output_activation="linear"), X4,
                      np.zeros((4, 1)), loss="bce"),
        ValueError, r"expects probabilities from a sigmoid output layer, but the network's "
                    r"output layer is 'linear'; .*from_logits=True"),
    "bce given scores outside 0..1": (
        lambda: L.get_loss("bce")(np.array([[2.5], [-1.0]]), np.array([[1.0], [0.0]])),
        ValueError, r"expects probabilities between 0 and 1 .*got outputs from -1 to 2.5"),
    "a loss given NaN outputs": (
        lambda: L.get_loss("mse")(np.array([[np.nan]]), np.array([[1.0]])),
        NotFiniteError, r"output contains NaN or infinity"),
    "a layer of integers": (lambda: Dense(2, 3, dtype=np.int64), TypeError,
                            r"dtype must be a float type \(float64 or float32\), got"),
    "X and y of different lengths": (lambda: train(net(), X4, np.zeros((3, 1))), ValueError,
                                     r"X and y must have the same number of examples \(rows\): "
                                     r"X has 4, y has 3"),
    "y a single number": (lambda: train(net(), X4, np.array(1.0)), ValueError,
                          r"X has 4, y has no rows"),
    "one_hot label too big": (lambda: D.one_hot([0, 3], 3), ValueError,
                              r"labels must be below n_classes=3, got 3"),
    "one_hot negative": (lambda: D.one_hot([0, -1]), ValueError, r"labels must be >= 0, got -1"),
    "one_hot floats": (lambda: D.one_hot([0.0, 1.0]), TypeError,
                       r"labels must be integers \(class indices\), got dtype float64"),
    "one_hot empty": (lambda: D.one_hot(np.array([], dtype=int)), ValueError,
                      r"one_hot needs n_classes when there are no labels, got labels of "
                      r"shape \(0,\)"),
    # learning rates
    "learning rate 0": (lambda: train(net(), X4, Y4, learning_rate=0), ValueError,
                        r"learning_rate must be a finite number > 0 \(a step size\), got 0"),
    "negative learning rate": (lambda: check_learning_rate(-0.1), ValueError, r"got -0\.1"),
    "NaN learning rate": (lambda: train(net(), X4, Y4, learning_rate=float("nan")),
                          ValueError, r"learning_rate must be a finite number > 0.*got nan"),
    "infinite learning rate": (lambda: sgd_step(trained_once(), float("inf")), ValueError,
                               r"got inf"),
    "string learning rate": (lambda: train(net(), X4, Y4, learning_rate="0.1"), TypeError,
                             r"learning_rate must be a positive number such as 0\.1, "
                             r"got '0\.1'"),
    "bool learning rate": (lambda: check_learning_rate(True), TypeError, r"got True"),
    "None learning rate": (lambda: check_learning_rate(None), TypeError, r"got None"),
    # building networks
    "empty network": (lambda: Network([]), ValueError,
                      r"a network needs at least one layer, got an empty list"),
    "not a layer": (lambda: Network([Dense(2, 3), "relu"]), TypeError,
                    r"layer 2 must be a Dense layer, got str"),
    "mismatched layer sizes": (lambda: Network([Dense(2, 3), Dense(4, 1)]), ValueError,
                               r"layer sizes do not match: layer 1 outputs 3 values but "
                               r"layer 2 expects 4 inputs"),
    "too few sizes": (lambda: Network.from_sizes([3]), ValueError,
                      r"sizes must list at least 2 layer sizes \(inputs and outputs\), "
                      r"got \[3\]"),
    "sizes a number": (lambda: Network.from_sizes(5), ValueError, r"at least 2 .*got 5"),
    "fractional size": (lambda: Network.from_sizes([2, 2.5, 1]), TypeError,
                        r"n_out must be a whole number >= 1, got float 2\.5"),
    "zero nodes": (lambda: Dense(0, 3), ValueError, r"n_in must be >= 1, got 0"),
    "unknown activation": (lambda: Dense(2, 3, "swish"), ValueError,
                           r"activation must be one of \['linear', 'relu', 'sigmoid', "
                           r"'softmax', 'tanh'\] or an Activation, got 'swish'"),
    "unknown bias mode": (lambda: Dense(2, 3, bias="all"), ValueError,
                          r"bias must be one of 'node', 'layer' or None, got 'all'"),
    "unknown init": (lambda: Dense(2, 3, init="glorot"), ValueError,
                     r"weight scheme must be one of \('xavier', 'he', 'normal', 'zeros'\), "
                     r"got 'glorot'"),
    "seed a string": (lambda: init_weights(2, 2, seed="42"), TypeError,
                      r"seed must be an int, a numpy Generator or None, got str '42'"),
    # NaN and infinity
    "NaN in X": (lambda: net().forward(nan_at((4, 2), (1, 0))), NotFiniteError,
                 r"X contains NaN or infinity \(first at index \(1, 0\)\); it must hold finite "
                 r"numbers only"),
    "inf in X for a layer": (lambda: Dense(2, 1).forward(nan_at((3, 2), (2, 1), np.inf)),
                             NotFiniteError,
                             r"X contains NaN or infinity \(first at index \(2, 1\)"),
    "NaN in training X": (lambda: train(net(), nan_at((4, 2), (3, 1)), Y4), NotFiniteError,
                          r"X contains NaN or infinity \(first at index \(3, 1\)\)"),
    "NaN in training y": (lambda: train(net(), X4, nan_at((4, 1), (2, 0))), NotFiniteError,
                          r"y contains NaN or infinity \(first at index \(2, 0\)\)"),
    "inf in validation X": (lambda: train(net(), X4, Y4, validation=(
                                nan_at((4, 2), (0, 0), -np.inf), Y4)), NotFiniteError,
                            r"X_val contains NaN or infinity"),
    # wrong types
    "string as X": (lambda: net().forward("1, 2"), TypeError,
                    r"X must be numbers \(a list or numpy array\), got str '1, 2'"),
    "string as training X": (lambda: train(net(), "data", Y4), TypeError,
                             r"X must be numbers .*got str 'data'"),
    "strings in X": (lambda: Dense(2, 1).forward([["a", "b"]]), TypeError,
                     r"X must hold numbers, got list"),
    "None as X": (lambda: net().forward(None), TypeError, r"X must be numbers .*got NoneType"),
    "ragged X": (lambda: net().forward([[1.0, 2.0], [3.0]]), TypeError,
                 r"X must be numbers .*got list"),
    "string as z": (lambda: act.sigmoid("0.5"), TypeError, r"z must be numbers .*got str"),
    "string as target": (lambda: L.MeanSquaredError()(Y4, "0000"), TypeError,
                         r"target must be numbers .*got str '0000'"),
    "string epochs": (lambda: train(net(), X4, Y4, epochs="10"), TypeError,
                      r"epochs must be a whole number >= 1, got str '10'"),
    "zero epochs": (lambda: train(net(), X4, Y4, epochs=0), ValueError,
                    r"epochs must be >= 1, got 0"),
    "zero batch size": (lambda: train(net(), X4, Y4, batch_size=0), ValueError,
                        r"batch_size must be >= 1, got 0"),
    "fractional batch size": (lambda: train(net(), X4, Y4, batch_size=1.5), TypeError,
                              r"batch_size must be a whole number >= 1, got float 1\.5"),
    "unknown loss": (lambda: train(net(), X4, Y4, loss="hinge"), ValueError,
                     r"loss must be one of \[.*\] or a Loss, got 'hinge'"),
    "validation not a pair": (lambda: train(net(), X4, Y4, validation=X4), TypeError,
                              r"validation must be a pair \(X_val, y_val\), got ndarray"),
    "validation wrong width": (lambda: train(net(), X4, Y4, validation=(np.zeros((2, 3)),
                                                                        Y4[:2])),
                               ValueError, r"X_val must have 2 columns .*got shape \(2, 3\)"),
    "validation labels too short": (lambda: train(net(), X4, Y4, validation=(X4, Y4[:3])),
                                    ValueError, r"X_val has 4, y_val has 3"),
    "accuracy of a regression loss": (lambda: accuracy(net(), X4, Y4, "mse"), ValueError,
                                      r"accuracy needs a classification loss, "
                                      r"got MeanSquaredError\(\)"),
    # backward
    "gradient of the wrong shape": (lambda: backward_with(np.ones((4, 2))), ValueError,
                                    r"backward expects a gradient of the same shape as this "
                                    r"layer's output \(4, 1\), got \(4, 2\)"),
    "gradient as a list": (lambda: backward_with([[1.0]] * 4), ValueError,
                           r"output \(4, 1\), got list"),
    "gradcheck wrong width": (lambda: gradcheck(net(), np.zeros((4, 3)), Y4, "mse"), ValueError,
                              r"X must have 2 columns"),
    "gradcheck_layer 1-D": (lambda: gradcheck_layer(Dense(2, 2), np.zeros(2)), ValueError,
                            r"X\.reshape\(1, -1\)"),
    "gradcheck_loss wrong target": (lambda: gradcheck_loss("mse", Y4, np.zeros(4)), ValueError,
                                    r"got \(4,\) - use target\.reshape\(-1, 1\)"),
    # data sets
    "unknown gate": (lambda: D.logic_gate("xnor"), ValueError,
                     r"gate must be one of \['and', 'nand', 'or', 'xor'\], got 'xnor'"),
    "negative noise": (lambda: D.two_moons(noise=-0.1), ValueError,
                       r"noise must be a finite number >= 0, got -0\.1"),
    "NaN noise": (lambda: D.spirals(noise=float("nan")), ValueError, r"got nan"),
    "circle factor": (lambda: D.circles(factor=1.5), ValueError,
                      r"factor \(inner radius / outer radius\) must be in \(0, 1\), got 1\.5"),
    "circle factor a string": (lambda: D.circles(factor="half"), ValueError, r"got 'half'"),
    "no examples asked for": (lambda: D.noisy_curve(n=0), ValueError, r"n must be >= 1, got 0"),
    "test fraction 1": (lambda: D.train_test_split(X4, Y4, 1.0), ValueError,
                        r"test_fraction must be in \[0, 1\), got 1\.0"),
    "split of different lengths": (lambda: D.train_test_split(X4, np.zeros(3)), ValueError,
                                   r"X and y must have the same number of rows, got 4 and 3"),
    "split with an empty test part": (lambda: D.train_test_split(X4, Y4, 0.1), ValueError,
                                      r"at least one example in each part, got "
                                      r"test_fraction=0\.1 of 4 examples, which leaves the "
                                      r"test part empty"),
    "split with an empty training part": (lambda: D.train_test_split(X4[:2], Y4[:2], 0.8),
                                          ValueError, r"leaves the training part empty"),
    "split of a single number": (lambda: D.train_test_split(5.0, 1.0), ValueError,
                                 r"X and y must hold one row per example, got shapes \(\) "),
    # activation functions
    "softmax axis out of range": (lambda: act.softmax(np.zeros((2, 3)), axis=5), ValueError,
                                  r"axis must be between -2 and 1 for z of shape \(2, 3\), "
                                  r"got 5"),
    "softmax axis not a whole number": (lambda: act.softmax(np.zeros(3), axis=0.5), TypeError,
                                        r"axis must be a whole number, got float 0\.5"),
    "softmax of nothing": (lambda: act.softmax(np.array([])), ValueError,
                           r"softmax needs at least one score along axis -1, got shape \(0,\)"),
    "softmax of empty rows": (lambda: act.softmax(np.zeros((3, 0))), ValueError,
                              r"got shape \(3, 0\)"),
    "softmax of one number": (lambda: act.softmax(2.0), ValueError,
                              r"softmax needs a row of scores .*got a single number"),
    "complex relu": (lambda: act.relu(np.array([1 + 2j])), TypeError,
                     r"z must hold real numbers, got .*complex128"),
    "complex sigmoid": (lambda: act.sigmoid(1j), TypeError, r"z must hold real numbers"),
    "complex forward": (lambda: net().forward(np.full((4, 2), 1 + 1j)), TypeError,
                        r"X must hold real numbers, got an array of shape \(4, 2\) "
                        r"and dtype complex128"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_explained(name):
    call, error, message = CASES[name]
    with pytest.raises(error, match=message) as info:
        call()
    # exactly ValueError/TypeError raised by nnlib, not a numpy subclass such as AxisError;
    # each regex above holds both what was expected and what was given
    assert type(info.value) is error


# ---------------------------------------------- probing with random shapes

any_shape = st.lists(st.integers(0, 5), min_size=0, max_size=3).map(tuple)


@given(shape=any_shape, n_in=st.integers(1, 4))
def test_any_wrong_input_shape_is_explained(shape, n_in):
    assume(not (len(shape) == 2 and shape[0] >= 1 and shape[1] == n_in))
    network = Network.from_sizes([n_in, 2, 1])
    for call in (network.forward, network.layers[0].forward,
                 lambda X: train(network, X, np.zeros((shape[0] if shape else 1, 1)))):
        with pytest.raises(ValueError) as info:
            call(np.zeros(shape))
        assert type(info.value) is ValueError
        assert str(shape) in str(info.value)  # says what it got ...
        assert "must" in str(info.value)  # ... and what it needs


@given(out_shape=st.tuples(st.integers(1, 4), st.integers(1, 4)), target_shape=any_shape,
       loss=st.sampled_from(["sae", "sse", "mse", "bce"]))
def test_any_wrong_target_shape_is_explained(out_shape, target_shape, loss):
    assume(target_shape != out_shape)
    with pytest.raises(ValueError) as info:
        L.get_loss(loss)(np.full(out_shape, 0.5), np.zeros(target_shape))
    assert type(info.value) is ValueError
    assert f"the same shape as the output {out_shape}, got {target_shape}" in str(info.value)


@given(batch=st.integers(1, 4), n_classes=st.integers(2, 4), target_shape=any_shape)
def test_any_wrong_label_shape_is_explained(batch, n_classes, target_shape):
    assume(target_shape not in [(batch,), (batch, n_classes)])
    with pytest.raises(ValueError) as info:
        L.SoftmaxCrossEntropy()(np.zeros((batch, n_classes)), np.zeros(target_shape, dtype=int))
    assert type(info.value) is ValueError
    assert str(target_shape) in str(info.value)
    assert f"({batch},)" in str(info.value) or str((batch, n_classes)) in str(info.value)


@given(batch=st.integers(1, 4), n_out=st.integers(1, 4), grad_shape=any_shape)
def test_any_wrong_gradient_shape_is_explained(batch, n_out, grad_shape):
    assume(grad_shape != (batch, n_out))
    layer = Dense(2, n_out)
    layer.forward(np.zeros((batch, 2)))
    with pytest.raises(ValueError, match=r"backward expects a gradient of the same shape") as e:
        layer.backward(np.zeros(grad_shape))
    assert str((batch, n_out)) in str(e.value) and str(grad_shape) in str(e.value)


def test_failed_checks_leave_no_half_trained_network():
    network = net()
    before = {k: v.copy() for k, v in network.parameters().items()}
    with pytest.raises(ValueError):
        train(network, X4, np.zeros(4))
    for name, p in network.parameters().items():
        np.testing.assert_array_equal(p, before[name])
