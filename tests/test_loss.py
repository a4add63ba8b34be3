"""Losses: values by hand, gradients against finite differences, accuracy, and
stability for scores of +-1e7."""

import math
import warnings

import numpy as np
import pytest
from finite_differences import central_difference_of
from hypothesis import given
from hypothesis import strategies as st

from nnlib import loss as L
from nnlib.activation import sigmoid
from nnlib.datasets import one_hot
from nnlib.gradcheck import gradcheck_loss

seeds = st.integers(0, 2**32 - 1)
batches = st.integers(1, 6)
widths = st.integers(1, 5)


def assert_gradient_matches(loss, output, target):
    value, grad = loss(output, target)
    assert isinstance(value, float)
    assert grad.shape == np.shape(output)
    numeric = central_difference_of(lambda o: loss(o, target)[0], output)
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)
    report = gradcheck_loss(loss, output, target)
    assert report.ok and report.rows[0][3] == "good", report


# ----------------------------------------------------------- values by hand

OUT = np.array([[1.0], [2.0], [-1.0]])
TARGET = np.array([[0.0], [3.0], [-1.5]])  # differences 1, -1, 0.5


def test_sum_absolute_error_by_hand():
    value, grad = L.SumAbsoluteError()(OUT, TARGET)
    assert value == 2.5
    np.testing.assert_array_equal(grad, [[1.0], [-1.0], [1.0]])


def test_sum_squared_error_by_hand():
    value, grad = L.SumSquaredError()(OUT, TARGET)
    assert value == 2.25
    np.testing.assert_array_equal(grad, [[2.0], [-2.0], [1.0]])


def test_mean_squared_error_by_hand():
    value, grad = L.MeanSquaredError()(OUT, TARGET)
    assert value == 0.75
    np.testing.assert_allclose(grad, [[2 / 3], [-2 / 3], [1 / 3]], rtol=1e-15)
    # the mean is over every element, not only over the batch
    value2, _ = L.MeanSquaredError()(np.hstack([OUT, OUT]), np.hstack([TARGET, OUT]))
    assert value2 == pytest.approx(2.25 / 6)


def test_value_is_the_first_half_of_the_call():
    for loss in [L.SumAbsoluteError(), L.SumSquaredError(), L.MeanSquaredError()]:
        assert loss.value(OUT, TARGET) == loss(OUT, TARGET)[0]


def test_binary_cross_entropy_by_hand():
    p = np.array([[0.8], [0.25]])
    y = np.array([[1.0], [0.0]])
    value, grad = L.BinaryCrossEntropy()(p, y)
    assert value == pytest.approx((-math.log(0.8) - math.log(0.75)) / 2, rel=1e-12)
    # d/dp of -log p is -1/p; of -log(1 - p) is 1/(1 - p); then / batch
    np.testing.assert_allclose(grad, [[-1 / 0.8 / 2], [1 / 0.75 / 2]], rtol=1e-12)


def test_binary_cross_entropy_from_logits_by_hand():
    z = np.array([[math.log(4.0)], [0.0]])  # sigmoid: 0.8 and 0.5
    y = np.array([[1.0], [0.0]])
    value, grad = L.BinaryCrossEntropy(from_logits=True)(z, y)
    assert value == pytest.approx((-math.log(0.8) - math.log(0.5)) / 2, rel=1e-12)
    np.testing.assert_allclose(grad, [[(0.8 - 1) / 2], [0.5 / 2]], rtol=1e-12)
    assert repr(L.BinaryCrossEntropy(from_logits=True)) == \
        "BinaryCrossEntropy(from_logits=True)"


@given(batch=batches, width=widths, seed=seeds)
def test_bce_on_logits_equals_bce_on_their_sigmoid(batch, width, seed):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((batch, width)) * 4
    y = rng.integers(0, 2, (batch, width)).astype(float)
    p = sigmoid(z)
    v_logits, g_logits = L.BinaryCrossEntropy(from_logits=True)(z, y)
    v_probs, g_probs = L.BinaryCrossEntropy()(p, y)
    assert v_logits == pytest.approx(v_probs, rel=1e-9)
    # chain rule through the sigmoid: dL/dz = dL/dp * p (1 - p)
    np.testing.assert_allclose(g_logits, g_probs * p * (1 - p), rtol=1e-8, atol=1e-15)


def test_softmax_cross_entropy_by_hand():
    logits = np.array([[0.0, math.log(3.0)], [math.log(2.0), 0.0]])  # probs 1/4 3/4, 2/3 1/3
    labels = np.array([1, 0])
    value, grad = L.SoftmaxCrossEntropy()(logits, labels)
    assert value == pytest.approx((-math.log(3 / 4) - math.log(2 / 3)) / 2, rel=1e-12)
    np.testing.assert_allclose(grad, [[1 / 4 / 2, -1 / 4 / 2], [-1 / 3 / 2, 1 / 3 / 2]],
                               rtol=1e-12)
    v_hot, g_hot = L.SoftmaxCrossEntropy()(logits, one_hot(labels, 2))
    assert v_hot == pytest.approx(value, rel=1e-14)
    np.testing.assert_allclose(g_hot, grad, rtol=1e-14)
    # whole-number float labels are accepted as class indices
    assert L.SoftmaxCrossEntropy().value(logits, np.array([1.0, 0.0])) == value


def test_probabilities_are_the_softmax_of_each_row():
    p = L.probabilities([[0.0, math.log(3.0)], [5.0, 5.0]])
    np.testing.assert_allclose(p, [[0.25, 0.75], [0.5, 0.5]], rtol=1e-14)


@given(batch=batches, seed=seeds)
def test_mean_losses_do_not_grow_with_the_batch(batch, seed):
    """Repeating the batch leaves mean losses unchanged and doubles summed ones."""
    rng = np.random.default_rng(seed)
    out, tgt = rng.random((batch, 3)), rng.random((batch, 3)).round()
    twice_out, twice_tgt = np.vstack([out, out]), np.vstack([tgt, tgt])
    for loss in [L.MeanSquaredError(), L.BinaryCrossEntropy()]:
        assert loss.value(twice_out, twice_tgt) == pytest.approx(loss.value(out, tgt))
    for loss in [L.SumSquaredError(), L.SumAbsoluteError()]:
        assert loss.value(twice_out, twice_tgt) == pytest.approx(2 * loss.value(out, tgt))
    labels = rng.integers(0, 3, batch)
    sce = L.SoftmaxCrossEntropy()
    assert sce.value(twice_out, np.concatenate([labels, labels])) == \
        pytest.approx(sce.value(out, labels))


@given(batch=batches, width=widths, seed=seeds)
def test_soft_bce_target_is_the_minimum(batch, width, seed):
    y = np.random.default_rng(seed).uniform(0.05, 0.95, (batch, width))
    _, grad = L.BinaryCrossEntropy()(y, y)
    np.testing.assert_allclose(grad, 0.0, atol=1e-12)


# ------------------------------------------------ gradients, numerically


@pytest.mark.parametrize("loss", [L.SumAbsoluteError(), L.SumSquaredError(),
                                  L.MeanSquaredError()], ids=repr)
@given(batch=batches, width=widths, seed=seeds)
def test_regression_loss_gradients(loss, batch, width, seed):
    rng = np.random.default_rng(seed)
    output = rng.standard_normal((batch, width))
    target = output + rng.choice([-1, 1], output.shape) * rng.uniform(0.01, 2, output.shape)
    assert_gradient_matches(loss, output, target)


@given(batch=batches, width=widths, seed=seeds, soft=st.booleans())
def test_binary_cross_entropy_gradient(batch, width, seed, soft):
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.02, 0.98, (batch, width))
    y = rng.random((batch, width)) if soft else rng.integers(0, 2, (batch, width)).astype(float)
    assert_gradient_matches(L.BinaryCrossEntropy(), p, y)
    assert_gradient_matches(L.BinaryCrossEntropy(from_logits=True),
                            rng.standard_normal((batch, width)) * 5, y)


@given(batch=batches, n_classes=st.integers(2, 6), seed=seeds, as_one_hot=st.booleans())
def test_softmax_cross_entropy_gradient(batch, n_classes, seed, as_one_hot):
    rng = np.random.default_rng(seed)
    logits = rng.standard_normal((batch, n_classes)) * 3
    labels = rng.integers(0, n_classes, batch)
    assert_gradient_matches(L.SoftmaxCrossEntropy(), logits,
                            one_hot(labels, n_classes) if as_one_hot else labels)


@given(batch=batches, n_classes=st.integers(2, 6), seed=seeds)
def test_softmax_cross_entropy_gradient_with_soft_targets(batch, n_classes, seed):
    rng = np.random.default_rng(seed)
    logits = rng.standard_normal((batch, n_classes))
    targets = rng.random((batch, n_classes))
    targets /= targets.sum(axis=1, keepdims=True)
    assert_gradient_matches(L.SoftmaxCrossEntropy(), logits, targets)


# --------------------------------------------------------------- accuracy


def test_accuracy_of_classification_losses():
    p = np.array([[0.9], [0.4], [0.6], [0.1]])
    y = np.array([[1.0], [1.0], [0.0], [0.0]])
    assert L.BinaryCrossEntropy().accuracy(p, y) == 0.5
    z = np.array([[2.0], [-0.1], [0.3], [-3.0]])  # logits: threshold 0
    assert L.BinaryCrossEntropy(from_logits=True).accuracy(z, y) == 0.5
    logits = np.array([[0.0, 1.0, 0.5], [3.0, 1.0, 0.0], [0.0, 0.0, 2.0]])
    assert L.SoftmaxCrossEntropy().accuracy(logits, np.array([1, 0, 0])) == pytest.approx(2 / 3)
    assert L.SoftmaxCrossEntropy().accuracy(logits, one_hot(np.array([1, 0, 2]), 3)) == 1.0


def test_regression_losses_have_no_accuracy():
    for loss in [L.SumAbsoluteError(), L.SumSquaredError(), L.MeanSquaredError()]:
        assert not loss.classification
        assert loss.accuracy(OUT, TARGET) is None
    assert L.BinaryCrossEntropy.classification and L.SoftmaxCrossEntropy.classification


def test_get_loss_names():
    expected = {"sae": L.SumAbsoluteError, "sum_absolute_error": L.SumAbsoluteError,
                "sse": L.SumSquaredError, "sum_squared_error": L.SumSquaredError,
                "mse": L.MeanSquaredError, "mean_squared_error": L.MeanSquaredError,
                "bce": L.BinaryCrossEntropy, "binary_cross_entropy": L.BinaryCrossEntropy,
                "softmax_cross_entropy": L.SoftmaxCrossEntropy,
                "cross_entropy": L.SoftmaxCrossEntropy}
    for name, cls in expected.items():
        assert type(L.get_loss(name)) is cls
        assert type(L.get_loss(name.upper())) is cls
    mse = L.MeanSquaredError()
    assert L.get_loss(mse) is mse
    with pytest.raises(ValueError, match=r"loss must be one of \[.*'mse'.*\] or a Loss, got 'l2'"):
        L.get_loss("l2")


# ------------------------------------------------------------- stability


def no_float_errors():
    """Overflow, division by zero and invalid operations raise instead of warning.

    Underflow (exp(-1e7) rounding to 0.0) is the correct answer, so it is allowed.
    """
    return np.errstate(over="raise", divide="raise", invalid="raise")


def test_binary_cross_entropy_from_logits_of_huge_scores():
    z = np.array([[1e7], [1e7], [-1e7], [-1e7]])
    y = np.array([[1.0], [0.0], [1.0], [0.0]])
    with warnings.catch_warnings(), no_float_errors():
        warnings.simplefilter("error")
        value, grad = L.BinaryCrossEntropy(from_logits=True)(z, y)
    # per example: -log sigmoid(z) for y = 1, -log(1 - sigmoid(z)) for y = 0, i.e. about
    # 0, 1e7, 1e7, 0 (log(1 + e^z) is z for huge z)
    assert value == pytest.approx(2e7 / 4, rel=1e-12)
    np.testing.assert_array_equal(grad, [[0.0], [0.25], [-0.25], [0.0]])


def test_binary_cross_entropy_of_saturated_probabilities():
    with warnings.catch_warnings(), no_float_errors():
        warnings.simplefilter("error")
        p = sigmoid(np.array([[1e7], [1e7], [-1e7], [-1e7]]))  # exactly 1, 1, 0, 0
        value, grad = L.BinaryCrossEntropy()(p, np.array([[1.0], [0.0], [1.0], [0.0]]))
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    # the two wrong answers each cost about -log(1e-12) = 27.6, not infinity
    assert value == pytest.approx(2 * -math.log(1e-12) / 4, rel=1e-3)
    assert grad[1, 0] > 0 and grad[2, 0] < 0  # pushes the wrong ones the right way


def test_softmax_cross_entropy_of_huge_scores():
    logits = np.array([[1e7, -1e7, 0.0], [1e7, -1e7, 0.0], [-1e7, -1e7, -1e7]])
    labels = np.array([0, 1, 2])
    with warnings.catch_warnings(), no_float_errors():
        warnings.simplefilter("error")
        value, grad = L.SoftmaxCrossEntropy()(logits, labels)
        v_hot, g_hot = L.SoftmaxCrossEntropy()(logits, one_hot(labels, 3))
        probs = L.probabilities(logits)
    # -log p[label]: 0, then log-sum-exp(z) - z[1] = 1e7 - (-1e7), then -log(1/3)
    assert value == pytest.approx((0.0 + 2e7 + math.log(3)) / 3, rel=1e-12)
    assert v_hot == pytest.approx(value, rel=1e-12)
    expected = (probs - one_hot(labels, 3)) / 3
    np.testing.assert_allclose(grad, expected, atol=1e-15)
    np.testing.assert_allclose(g_hot, expected, atol=1e-15)
    np.testing.assert_array_equal(probs[0], [1.0, 0.0, 0.0])


def test_bce_on_a_saturated_float32_output_stays_finite():
    """In float32, 1 - 1e-12 is 1.0: the clip must still keep log(1 - p) finite."""
    out = np.array([[1.0], [0.0]], dtype=np.float32)
    target = np.array([[0.0], [1.0]], dtype=np.float32)
    value, grad = L.BinaryCrossEntropy()(out, target)
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    assert value > 10  # a confident wrong answer still costs a lot
