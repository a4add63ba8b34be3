"""Random wrong calls to nnlib's public functions get nnlib's own errors.

Hypothesis draws wrong values -- arrays of the wrong shape, things that are not
numbers, complex and NaN values, bad sizes, rates and seeds -- and feeds them to
the public functions one argument at a time, everything else being right.
Every call must be refused with a ValueError or TypeError (nnlib's own
exceptions are subclasses) that is *raised inside nnlib* (not a numpy or
Python error passing through) and that says what it got ("..., got ...",
"... but ...", "X has 4, y has 3"). A call that is
accepted, or fails any other way (AttributeError, ZeroDivisionError, a numpy
warning, ...), fails the test.

The number of wrong calls tried is printed at the end of the module (run with
``-s`` to see it).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nnlib
from nnlib import activation as act
from nnlib import datasets as D
from nnlib import loss as L
from nnlib.gradcheck import gradcheck, gradcheck_layer
from nnlib.gradient_descent import accuracy, train
from nnlib.layer import Dense
from nnlib.learning_rate import check_learning_rate, sgd_step
from nnlib.network import Network
from nnlib.saving import load, save
from nnlib.weights import init_weights

NNLIB = Path(nnlib.__file__).resolve().parent
TRIED = {"calls": 0}
# "..., got 3" or "... expects 4 inputs but ... outputs 3" or "X has 4, y has 3"
SAYS_WHAT_IT_GOT = re.compile(r"\bgot\b|\bgiven\b|\bbut\b|\bhas (\d|no)")


@pytest.fixture(scope="module", autouse=True)
def count_wrong_calls():
    yield
    print(f"\n{__name__}: {TRIED['calls']} wrong calls tried",
          file=sys.stderr)


def refused(fn, *args, **kwargs) -> Exception:
    """Call ``fn``; require nnlib's own ValueError/TypeError saying what it got."""
    TRIED["calls"] += 1
    call = f"{getattr(fn, '__qualname__', fn)}(args={args!r:.150}, kwargs={kwargs!r:.150})"
    try:
        fn(*args, **kwargs)
    except (ValueError, TypeError) as exc:
        tb = exc.__traceback__
        while tb.tb_next is not None:
            tb = tb.tb_next
        where = Path(tb.tb_frame.f_code.co_filename).resolve()
        assert NNLIB in where.parents, (
            f"{call} raised {type(exc).__name__} from {where}, not from nnlib: {exc}")
        assert SAYS_WHAT_IT_GOT.search(str(exc)), (
            f"{call}: the message does not say what was given: {exc}")
        return exc
    except Exception as exc:  # noqa: BLE001 - any other failure is what this test looks for
        pytest.fail(f"{call} failed with a bare {type(exc).__name__}: {exc}")
    pytest.fail(f"{call} was accepted")


# ------------------------------------------------------------ wrong values

not_numbers = st.one_of(
    st.none(),
    st.text(max_size=4),
    st.binary(max_size=4),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.sets(st.integers(), max_size=3),
    st.builds(object),
    st.just([[1.0, 2.0], [3.0]]),  # ragged rows
    st.lists(st.text(max_size=2), min_size=1, max_size=3),
    st.lists(st.booleans(), min_size=1, max_size=3),
    st.just(np.array([None, 1.0], dtype=object)),
)
complex_arrays = hnp.arrays(np.complex128, hnp.array_shapes(min_dims=1, max_dims=2, max_side=4),
                            elements=st.complex_numbers(max_magnitude=10, allow_nan=False)
                            ).filter(lambda a: np.any(a.imag != 0))
not_real = st.one_of(not_numbers, complex_arrays)


def arrays_not_of_shape(n_columns: int):
    """Float arrays whose shape is not (batch >= 1, n_columns)."""
    return hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0,
                                                   max_side=5),
                      elements=st.floats(-3, 3)).filter(
        lambda a: not (a.ndim == 2 and a.shape[0] >= 1 and a.shape[1] == n_columns))


def with_non_finite(shape):
    """A (rows, cols) float array with at least one NaN or infinity."""
    return st.tuples(
        hnp.arrays(np.float64, shape, elements=st.floats(-3, 3)),
        st.integers(0, int(np.prod(shape)) - 1),
        st.sampled_from([np.nan, np.inf, -np.inf]),
    ).map(lambda t: _put(*t))


def _put(a, flat_index, value):
    a = a.copy()
    a.flat[flat_index] = value
    return a


not_positive_ints = st.one_of(st.integers(max_value=0), st.floats(allow_nan=True),
                              st.booleans(), st.text(max_size=3), st.none(),
                              st.just(2.5), st.just([3]))
bad_rates = st.one_of(st.floats(max_value=0.0), st.just(np.nan), st.just(np.inf),
                      st.text(max_size=3), st.none(), st.booleans(),
                      st.complex_numbers(max_magnitude=3).filter(lambda c: c.imag != 0),
                      st.just([0.1]))
bad_seeds = st.one_of(st.floats(), st.text(max_size=3), st.booleans(), st.just([1, 2]),
                      st.just(1 + 2j))
bad_fractions = st.one_of(st.floats(max_value=-1e-9), st.floats(min_value=1.0),
                          st.just(np.nan), st.text(max_size=3), st.none(), st.booleans())
bad_dtypes = st.sampled_from(["foo", "int32", np.int64, int, bool, "complex128", np.complex64,
                              object, "U3", 3, None])
not_networks = st.one_of(st.none(), st.integers(), st.text(max_size=3),
                         st.just(Dense(2, 1)), st.just([Dense(2, 1)]), st.builds(object))

X4, Y4 = D.logic_gate("xor")
LOSS_NAMES = ["mse", "sse", "sae", "bce"]


def small_net(output="sigmoid"):
    return Network.from_sizes([2, 3, 1], activation="tanh", output_activation=output, seed=0)


# ------------------------------------------------------------ activations

ELEMENTWISE = [act.sigmoid, act.sigmoid_derivative, act.tanh, act.tanh_derivative, act.relu,
               act.relu_derivative, act.linear, act.linear_derivative, act.softmax,
               act.softmax_derivative]


@given(fn=st.sampled_from(ELEMENTWISE), z=not_real)
def test_activations_refuse_what_is_not_real_numbers(fn, z):
    refused(fn, z)


@given(z=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=3)),
       axis=st.one_of(st.integers(-9, 9), st.floats(), st.text(max_size=2), st.none()))
def test_softmax_refuses_an_axis_that_is_not_there(z, axis):
    if isinstance(axis, int) and not isinstance(axis, bool) and -z.ndim <= axis < z.ndim:
        if z.shape[axis] > 0:
            return  # a right call: not what this test is about
    refused(act.softmax, z, axis=axis)


@given(shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=3).filter(
    lambda s: s[-1] == 0))
def test_softmax_refuses_rows_without_scores(shape):
    refused(act.softmax, np.zeros(shape))


@given(name=st.one_of(st.text(max_size=8).filter(lambda s: s.lower() not in act.ACTIVATIONS),
                      st.none(), st.integers()))
def test_unknown_activations_are_refused(name):
    refused(act.get_activation, name)


# ------------------------------------------------------------ layers and networks

@given(n_in=not_positive_ints)
def test_dense_refuses_bad_sizes(n_in):
    refused(Dense, n_in, 3)
    refused(Dense, 3, n_in)


@given(dtype=bad_dtypes)
def test_layers_and_networks_refuse_a_dtype_that_is_not_a_float_type(dtype):
    refused(Dense, 2, 3, dtype=dtype)
    refused(Network.from_sizes, [2, 3, 1], dtype=dtype)
    refused(init_weights, 2, 3, dtype=dtype)


@given(bias=st.one_of(st.text(max_size=5).filter(lambda s: s not in ("node", "layer")),
                      st.integers(), st.booleans()))
def test_dense_refuses_unknown_bias_modes(bias):
    refused(Dense, 2, 3, bias=bias)


@given(X=arrays_not_of_shape(2))
def test_forward_refuses_inputs_of_the_wrong_shape(X):
    refused(small_net().forward, X)
    refused(small_net().predict, X)
    refused(Dense(2, 3).forward, X)


@given(X=not_real)
def test_forward_refuses_what_is_not_real_numbers(X):
    refused(small_net().forward, X)
    refused(Dense(2, 3).forward, X)


@given(X=with_non_finite((4, 2)))
def test_forward_refuses_nan_and_infinity(X):
    refused(small_net().forward, X)


@given(sizes=st.one_of(st.none(), st.integers(), st.text(max_size=3), st.just([]),
                       st.lists(st.integers(1, 4), max_size=1),
                       st.lists(st.integers(-3, 0), min_size=2, max_size=3),
                       st.lists(st.floats(0.5, 3.5).filter(lambda f: f != int(f)),
                                min_size=2, max_size=3)))
def test_from_sizes_refuses_bad_sizes(sizes):
    refused(Network.from_sizes, sizes)


@given(layers=st.one_of(st.just([]), st.lists(st.one_of(st.none(), st.integers(),
                                                        st.text(max_size=2)),
                                              min_size=1, max_size=3),
                        st.just([Dense(2, 3), Dense(4, 1)])))
def test_network_refuses_what_is_not_a_stack_of_matching_layers(layers):
    refused(Network, layers)


def arrays_not_exactly(shape):
    """Float arrays (or the same as nested lists) of any shape but ``shape``."""
    arrays = hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0,
                                                     max_side=4),
                        elements=st.floats(-3, 3)).filter(lambda a: a.shape != shape)
    return st.one_of(arrays, arrays.map(lambda a: a.tolist()))


@given(value=st.one_of(arrays_not_exactly((2, 3)), not_real, with_non_finite((2, 3))))
def test_assigning_wrong_weights_is_refused_at_once(value):
    layer = Dense(2, 3, seed=0)
    before = layer.weights
    refused(setattr, layer, "weights", value)
    assert layer.weights is before  # the layer is unchanged


@given(value=st.one_of(arrays_not_exactly((3,)), not_real, with_non_finite((3, 1)).map(
    lambda a: a.ravel()), st.none()))
def test_assigning_a_wrong_bias_is_refused_at_once(value):
    layer = Dense(2, 3, seed=0)
    refused(setattr, layer, "bias", value)
    refused(setattr, Dense(2, 3, bias="layer"), "bias", np.zeros(3))
    refused(setattr, Dense(2, 3, bias=None), "bias", np.zeros(3))


@given(layers=st.one_of(st.none(), st.integers(), st.floats(), st.just(Dense(2, 1)),
                        st.builds(object)))
def test_network_refuses_what_is_not_a_list_of_layers(layers):
    refused(Network, layers)


# ------------------------------------------------------------ losses

@given(name=st.sampled_from(LOSS_NAMES), target=arrays_not_of_shape(1))
def test_losses_refuse_targets_of_the_wrong_shape(name, target):
    refused(L.get_loss(name), np.full((4, 1), 0.5), target)


@given(name=st.sampled_from(LOSS_NAMES), target=with_non_finite((4, 1)))
def test_losses_refuse_nan_targets(name, target):
    refused(L.get_loss(name), np.full((4, 1), 0.5), target)


@given(name=st.sampled_from(LOSS_NAMES), bad=st.one_of(not_real, with_non_finite((4, 1))))
def test_losses_refuse_outputs_that_are_not_finite_real_numbers(name, bad):
    refused(L.get_loss(name), bad, np.zeros((4, 1)))


@given(target=hnp.arrays(np.float64, (4, 1), elements=st.floats(-5, 5)).filter(
    lambda t: np.any((t < 0) | (t > 1))))
def test_bce_refuses_targets_outside_0_and_1(target):
    refused(L.BinaryCrossEntropy(), np.full((4, 1), 0.5), target)


@given(labels=st.one_of(st.lists(st.integers(3, 9), min_size=4, max_size=4),
                        st.lists(st.integers(-9, -1), min_size=4, max_size=4),
                        st.lists(st.floats(0.1, 0.9), min_size=4, max_size=4),
                        st.lists(st.integers(0, 2), min_size=1, max_size=3),
                        st.just([[0], [1], [2], [0]])))
def test_softmax_cross_entropy_refuses_labels_that_are_not_class_indices(labels):
    refused(L.SoftmaxCrossEntropy(), np.zeros((4, 3)), labels)


@given(name=st.one_of(st.text(max_size=6).filter(lambda s: s.lower() not in L.LOSSES),
                      st.none(), st.integers()))
def test_unknown_losses_are_refused(name):
    refused(L.get_loss, name)


# ------------------------------------------------------------ training

@given(rate=bad_rates)
def test_bad_learning_rates_are_refused(rate):
    refused(check_learning_rate, rate)
    refused(train, small_net(), X4, Y4, loss="bce", learning_rate=rate, epochs=1)


@given(epochs=not_positive_ints)
def test_bad_epoch_counts_are_refused(epochs):
    refused(train, small_net(), X4, Y4, loss="bce", epochs=epochs)


@given(batch_size=not_positive_ints.filter(lambda b: b is not None))
def test_bad_batch_sizes_are_refused(batch_size):
    refused(train, small_net(), X4, Y4, loss="bce", epochs=1, batch_size=batch_size)


@given(seed=bad_seeds)
def test_bad_seeds_are_refused(seed):
    refused(train, small_net(), X4, Y4, loss="bce", epochs=1, seed=seed)
    refused(Network.from_sizes, [2, 3, 1], seed=seed)
    refused(D.two_moons, 10, seed=seed)


@given(X=st.one_of(arrays_not_of_shape(2), not_real, with_non_finite((4, 2))))
def test_train_refuses_bad_inputs(X):
    refused(train, small_net(), X, Y4, loss="bce", epochs=1)


@given(y=st.one_of(arrays_not_of_shape(1), not_real, with_non_finite((4, 1))))
def test_train_refuses_bad_labels(y):
    refused(train, small_net(), X4, y, loss="bce", epochs=1)


@given(output=st.sampled_from(["tanh", "linear", "relu"]))
def test_train_refuses_a_loss_that_does_not_suit_the_output(output):
    refused(train, small_net(output), X4, Y4, loss="bce", epochs=1)


@given(validation=st.one_of(st.none().map(lambda _: 5), st.text(max_size=3),
                            st.just((X4,)), st.just((X4, Y4, Y4)),
                            st.just((np.zeros((4, 3)), Y4)), st.just((X4, np.zeros(3)))))
def test_train_refuses_bad_validation_data(validation):
    refused(train, small_net(), X4, Y4, loss="bce", epochs=1, validation=validation)


@given(y=st.one_of(arrays_not_of_shape(1), not_real))
def test_accuracy_refuses_bad_labels(y):
    refused(accuracy, small_net(), X4, y, "bce")


@given(rate=bad_rates)
def test_sgd_step_refuses_bad_rates(rate):
    net = small_net()
    net.backward(np.ones_like(net.forward(X4)))
    refused(sgd_step, net, rate)


@given(callback=st.one_of(st.integers(), st.text(max_size=3), st.lists(st.integers(),
                                                                     max_size=2),
                          st.floats(), st.builds(object)))
def test_train_refuses_a_callback_it_cannot_call(callback):
    refused(train, small_net(), X4, Y4, loss="bce", epochs=3, callback=callback)


@given(thing=not_networks)
def test_train_gradcheck_and_accuracy_refuse_what_is_not_a_network(thing):
    refused(train, thing, X4, Y4, loss="bce", epochs=1)
    refused(gradcheck, thing, X4, Y4, "mse")
    refused(accuracy, thing, X4, Y4, "bce")


@given(eps=st.one_of(st.floats(max_value=9e-11), st.floats(min_value=1.1e-3),
                     st.just(np.nan), st.text(max_size=3), st.none(), st.booleans()))
def test_gradcheck_refuses_an_eps_that_cannot_measure_a_slope(eps):
    refused(gradcheck, small_net(), X4, Y4, "mse", eps=eps)
    refused(gradcheck_layer, Dense(2, 3), X4, eps=eps)


# ------------------------------------------------------------ gradient checking

@given(X=st.one_of(arrays_not_of_shape(2), not_real))
def test_gradcheck_refuses_bad_inputs(X):
    refused(gradcheck, small_net(), X, Y4, "mse")
    refused(gradcheck_layer, Dense(2, 3), X)


# ------------------------------------------------------------ data sets

@given(n=not_positive_ints)
def test_data_sets_refuse_bad_sizes(n):
    for make in (D.two_moons, D.circles, D.xor_points, D.gaussian_clusters, D.noisy_curve):
        refused(make, n)
    refused(D.spirals, n)


@given(noise=st.one_of(st.floats(max_value=-1e-9), st.just(np.nan), st.just(np.inf),
                       st.text(max_size=3), st.none()))
def test_data_sets_refuse_bad_noise(noise):
    for make in (D.two_moons, D.circles, D.spirals, D.xor_points, D.noisy_curve):
        refused(make, noise=noise)


@given(fraction=bad_fractions)
def test_split_refuses_bad_fractions(fraction):
    refused(D.train_test_split, np.zeros((10, 2)), np.zeros(10), fraction)
    refused(D.load_digits, test_fraction=fraction)


@given(n=st.integers(1, 30), fraction=st.floats(0.0, 0.99))
def test_split_refuses_to_leave_a_part_empty(n, fraction):
    if 0 < round(fraction * n) < n:
        return  # a right call
    refused(D.train_test_split, np.zeros((n, 2)), np.zeros(n), fraction)


@given(labels=st.one_of(not_real, st.lists(st.integers(-5, -1), min_size=1, max_size=3),
                        st.lists(st.floats(0.1, 0.9), min_size=1, max_size=3)))
def test_one_hot_refuses_what_is_not_class_indices(labels):
    refused(D.one_hot, labels)


# ------------------------------------------------------------ saving

@given(raw=st.binary(max_size=200))
def test_load_refuses_any_file_it_cannot_read(raw, tmp_path_factory):
    path = tmp_path_factory.mktemp("bad") / "model.npz"
    path.write_bytes(raw)
    refused(load, path)


@given(thing=not_networks)
def test_save_refuses_what_is_not_a_network(thing, tmp_path_factory):
    refused(save, thing, tmp_path_factory.mktemp("save") / "model")


def test_right_parameters_are_taken_as_the_layer_s_dtype():
    layer = Dense(2, 3, dtype=np.float32)
    layer.weights = [[1, 2, 3], [4, 5, 6]]  # a list of the right shape is fine
    layer.bias = np.zeros(3, dtype=np.float64)
    assert layer.weights.dtype == np.float32 and layer.bias.dtype == np.float32
    np.testing.assert_array_equal(layer.W, [[1, 2, 3], [4, 5, 6]])
    step = layer.weights
    layer.weights -= 0.5  # an update in place keeps the same array
    assert layer.weights is step
    with pytest.raises(ValueError, match=r"weights must have shape \(2, 3\), got shape \(3, 2\)"):
        layer.weights = np.zeros((3, 2))
    with pytest.raises(TypeError, match=r"weights must hold real numbers, got .*complex128"):
        layer.weights = np.ones((2, 3)) * 1j
    with pytest.raises(ValueError, match=r"weights contains NaN or infinity \(first at index "
                                         r"\(0, 1\)\); .*got nan there"):
        layer.weights = [[0, np.nan, 0], [0, 0, 0]]
