"""Learning: the SGD step, the training loop and its History, divergence, progress, and
two problems the course promises the network learns (XOR and the digits)."""

import math
import re
import warnings

import numpy as np
import pytest

from nnlib.datasets import load_digits, logic_gate, noisy_curve, spirals
from nnlib.gradient_descent import History, TrainingDiverged, accuracy, train
from nnlib.layer import Dense
from nnlib.learning_rate import check_learning_rate, sgd_step
from nnlib.loss import SoftmaxCrossEntropy, get_loss
from nnlib.network import Network
from nnlib.progress import Progress


def line_data(n=20):
    X = np.linspace(-1, 1, n).reshape(-1, 1)
    return X, 2 * X + 1


# --------------------------------------------------------------- the step


def test_sgd_step_by_hand():
    net = Network.from_sizes([2, 2, 1], seed=0)
    X = np.array([[1.0, -1.0], [0.5, 2.0]])
    net.backward(np.ones_like(net.forward(X)))
    before = {k: v.copy() for k, v in net.parameters().items()}
    grads = {k: v.copy() for k, v in net.gradients().items()}
    sgd_step(net, 0.25)
    for name, p in net.parameters().items():
        np.testing.assert_allclose(p, before[name] - 0.25 * grads[name], rtol=1e-15)


def test_learning_rate_accepts_positive_numbers():
    assert check_learning_rate(1) == 1.0 and isinstance(check_learning_rate(1), float)
    assert check_learning_rate(np.float32(0.5)) == 0.5
    assert check_learning_rate(1e-9) == 1e-9


# ------------------------------------------------------------ what it learns


def test_xor_is_learned_perfectly():
    X, y = logic_gate("xor")
    net = Network.from_sizes([2, 4, 1], seed=0)
    history = train(net, X, y, loss="bce", learning_rate=2.0, epochs=2000)
    out = net.predict(X)
    np.testing.assert_array_equal(out > 0.5, y > 0.5)
    assert accuracy(net, X, y, "bce") == 1.0
    assert history.accuracy[-1] == 1.0
    assert history.loss[-1] < 0.05 < history.loss[0]


def test_digits_mlp_reaches_95_percent():
    """64 inputs -> 32 sigmoid hidden nodes -> 10 linear scores + softmax cross-entropy,
    mini-batches of 32, plain SGD."""
    d = load_digits(seed=0)
    net = Network.from_sizes([64, 32, 10], activation="sigmoid", output_activation="linear",
                             seed=0)
    history = train(net, d.X_train, d.y_train, loss="softmax_cross_entropy",
                    learning_rate=1.0, epochs=50, batch_size=32, seed=0,
                    validation=(d.X_test, d.y_test))
    test_accuracy = accuracy(net, d.X_test, d.y_test, "softmax_cross_entropy")
    assert test_accuracy >= 0.95
    predicted = net.predict(d.X_test).argmax(axis=1)
    assert np.mean(predicted == d.y_test) == test_accuracy
    assert history.val_accuracy[-1] == pytest.approx(test_accuracy)


def test_loss_decreases_on_an_easy_problem():
    """One linear node fitting y = 2x + 1 by full-batch gradient descent on a convex
    loss with a small step: the loss never goes up and the line is found."""
    X, y = line_data()
    net = Network([Dense(1, 1, "linear", seed=0)])
    history = train(net, X, y, loss="mse", learning_rate=0.1, epochs=300)
    assert np.all(np.diff(history.loss) <= 0)
    assert history.loss[-1] < 1e-8 * history.loss[0]
    assert net.layers[0].weights[0, 0] == pytest.approx(2.0, abs=1e-4)
    assert net.layers[0].bias[0] == pytest.approx(1.0, abs=1e-4)


def test_mini_batches_also_reduce_the_loss():
    X, y = spirals(n_per_class=30, n_classes=3, seed=1)
    net = Network.from_sizes([2, 16, 3], activation="tanh", output_activation="linear", seed=1)
    history = train(net, X, y, loss="softmax_cross_entropy", learning_rate=0.5, epochs=40,
                    batch_size=10)
    assert history.loss[-1] < 0.8 * history.loss[0]


# ---------------------------------------------------------------- history


def test_history_fields():
    X, y = spirals(n_per_class=5, n_classes=2, seed=0)  # 10 examples
    X_val, y_val = spirals(n_per_class=3, n_classes=2, seed=1)
    net = Network.from_sizes([2, 4, 2], output_activation="linear", seed=0)
    history = train(net, X, y, loss="softmax_cross_entropy", learning_rate=0.3, epochs=5,
                    batch_size=3, validation=(X_val, y_val))
    steps_per_epoch = math.ceil(10 / 3)  # 3 + 3 + 3 + 1
    assert isinstance(history, History)
    assert len(history.step_loss) == 5 * steps_per_epoch
    assert history.epochs == len(history.loss) == 5
    for e in range(5):
        chunk = history.step_loss[e * steps_per_epoch:(e + 1) * steps_per_epoch]
        assert history.loss[e] == pytest.approx(np.mean(chunk), rel=1e-12)
    assert len(history.accuracy) == 5
    assert all(0.0 <= a <= 1.0 for a in history.accuracy)
    assert len(history.val_loss) == len(history.val_accuracy) == 5
    assert history.learning_rate == 0.3 and history.batch_size == 3
    # the last validation scores are those of the trained network
    assert history.val_loss[-1] == pytest.approx(SoftmaxCrossEntropy().value(net.forward(X_val),
                                                                             y_val))
    assert history.val_accuracy[-1] == accuracy(net, X_val, y_val, "softmax_cross_entropy")
    text = repr(history)
    assert "5 epochs" in text and f"{5 * steps_per_epoch} steps" in text
    assert "validation accuracy" in text


def test_regression_history_has_no_accuracy():
    X, y = line_data(8)
    history = train(Network([Dense(1, 1, "linear")]), X, y, epochs=3, batch_size=5,
                    validation=(X, y))
    assert history.accuracy == [] and history.val_accuracy == []
    assert len(history.val_loss) == 3
    assert len(history.step_loss) == 3 * 2
    assert "accuracy" not in repr(history)
    assert repr(History(learning_rate=0.1, batch_size=4)) == \
        "History(learning_rate=0.1, no epochs yet)"


def test_full_batch_first_step_scores_the_starting_network():
    X, y = logic_gate("and")
    net = Network.from_sizes([2, 1], seed=3)
    start = net.forward(X)
    history = train(net, X, y, loss="bce", learning_rate=0.5, epochs=2)
    assert history.batch_size == 4 and len(history.step_loss) == 2
    p = start.ravel()
    t = y.ravel()
    by_hand = -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))
    assert history.step_loss[0] == pytest.approx(by_hand, rel=1e-12)
    assert history.accuracy[0] == np.mean((p > 0.5) == (t > 0.5))


def test_batch_size_larger_than_the_data_is_one_batch():
    X, y = line_data(6)
    history = train(Network([Dense(1, 1, "linear")]), X, y, epochs=2, batch_size=100)
    assert history.batch_size == 6 and len(history.step_loss) == 2


def test_callback_is_called_after_every_epoch():
    X, y = logic_gate("or")
    calls = []

    def callback(epoch, history):
        calls.append((epoch, history.epochs, len(history.step_loss), history))

    history = train(Network.from_sizes([2, 1]), X, y, epochs=4, batch_size=3,
                    callback=callback)
    assert [c[0] for c in calls] == [1, 2, 3, 4]
    assert [c[1] for c in calls] == [1, 2, 3, 4]  # the epoch is already in the history
    assert [c[2] for c in calls] == [2, 4, 6, 8]
    assert all(c[3] is history for c in calls)


def test_training_leaves_the_data_alone():
    X, y = logic_gate("xor")
    X0, y0 = X.copy(), y.copy()
    train(Network.from_sizes([2, 2, 1]), X, y, epochs=3, batch_size=2)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


def test_float32_network_stays_float32():
    X, y = logic_gate("xor")
    net = Network.from_sizes([2, 3, 1], dtype=np.float32)
    train(net, X.astype(np.float32), y.astype(np.float32), epochs=5)
    assert all(p.dtype == np.float32 for p in net.parameters().values())


# --------------------------------------------------------- reproducibility


def run(net_seed=0, train_seed=0, shuffle=True):
    X, y = spirals(n_per_class=10, n_classes=3, seed=0)
    net = Network.from_sizes([2, 6, 3], output_activation="linear", seed=net_seed)
    history = train(net, X, y, loss="cross_entropy", learning_rate=0.5, epochs=4,
                    batch_size=7, seed=train_seed, shuffle=shuffle)
    return net, history


def test_same_seed_same_weights_and_history():
    net_a, hist_a = run()
    net_b, hist_b = run()
    for name, p in net_a.parameters().items():
        np.testing.assert_array_equal(p, net_b.parameters()[name])
    assert hist_a == hist_b


def test_different_seeds_differ():
    net_a, hist_a = run()
    net_b, _ = run(net_seed=1)
    assert not np.array_equal(net_a.layers[0].weights, net_b.layers[0].weights)
    _, hist_c = run(train_seed=1)  # same start, another shuffling order
    assert hist_c.step_loss[0] != hist_a.step_loss[0]
    assert hist_c.step_loss != hist_a.step_loss


def test_without_shuffling_the_seed_does_not_matter():
    _, hist_a = run(train_seed=0, shuffle=False)
    _, hist_b = run(train_seed=5, shuffle=False)
    assert hist_a == hist_b


# -------------------------------------------------------------- divergence


def test_huge_learning_rate_raises_training_diverged():
    X, y = noisy_curve(n=30, seed=0)
    net = Network.from_sizes([1, 8, 1], activation="tanh", output_activation="linear", seed=0)
    settings = np.geterr()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(TrainingDiverged) as info:
            train(net, X, y, loss="mse", learning_rate=1e6, epochs=500)
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]
    assert np.geterr() == settings  # numpy's error settings are restored
    assert isinstance(info.value, FloatingPointError)
    message = str(info.value)
    # full batch: one step per epoch, so step k is epoch k
    match = re.search(r"at step (\d+) \(epoch (\d+)\)", message)
    # one step of 1e6 puts weights of about 1e6 into the tanh layer: seen after epoch 1
    assert match and match.group(1) == match.group(2) and int(match.group(1)) >= 1
    assert re.search(r"layer \d's (weights|bias) grew to .*where a tanh layer saturates", message)
    assert "learning_rate=1e+06" in message
    assert "smaller learning rate" in message


def replay_line_divergence(X, y, w, b, lr):
    """Full-batch gradient descent on one linear node in plain numpy, with train's rules.

    Returns ``(losses, step)``: the finite loss of every step done and the step at
    which train must stop -- the first whose loss is not finite, or the end of the
    first epoch (one step each) where |w| or |b| exceeds sqrt(float max), or where
    the median of the last 50 epoch losses exceeds 10 times the first.
    """
    losses = []
    with np.errstate(all="ignore"):
        while True:
            diff = X[:, 0] * w + b - y[:, 0]
            loss = np.mean(diff ** 2)
            if not np.isfinite(loss):
                return losses, len(losses) + 1
            losses.append(float(loss))
            w, b = w - lr * np.mean(2 * diff * X[:, 0]), b - lr * np.mean(2 * diff)
            if max(abs(w), abs(b)) > np.sqrt(np.finfo(np.float64).max):
                return losses, len(losses)
            if len(losses) >= 50 and np.median(losses[-50:]) > 10 * losses[0]:
                return losses, len(losses)


def test_divergence_step_matches_a_replay_by_hand():
    """One linear node, no shuffling: replay gradient descent with plain numpy and find
    the step where train's divergence rules fire."""
    X, y = line_data(5)
    net = Network([Dense(1, 1, "linear", seed=0)])
    w, b = float(net.layers[0].weights[0, 0]), float(net.layers[0].bias[0])
    lr = 50.0
    _, step = replay_line_divergence(X, y, w, b, lr)
    with pytest.raises(TrainingDiverged, match=rf"at step {step} \(epoch {step}\) with "
                                               r"learning_rate=50") as info:
        train(net, X, y, loss="mse", learning_rate=lr, epochs=10_000, shuffle=False)
    assert (info.value.step, info.value.epoch, info.value.learning_rate) == (step, step, lr)



def test_training_diverged_carries_the_history_of_the_steps_done():
    """The same replay, full batch: the exception's History holds every finite step loss,
    one completed epoch per step, exactly as the replay computed them."""
    X, y = line_data(5)
    net = Network([Dense(1, 1, "linear", seed=0)])
    w, b = float(net.layers[0].weights[0, 0]), float(net.layers[0].bias[0])
    lr = 50.0
    replayed, step = replay_line_divergence(X, y, w, b, lr)
    with pytest.raises(TrainingDiverged) as info:
        train(net, X, y, loss="mse", learning_rate=lr, epochs=10_000, shuffle=False)
    history = info.value.history
    assert isinstance(history, History) and history.learning_rate == lr
    np.testing.assert_allclose(history.step_loss, replayed, rtol=1e-9)
    assert history.loss == history.step_loss  # full batch: an epoch is one step
    assert f"at step {step} " in str(info.value)


def test_training_diverged_history_keeps_only_completed_epochs():
    # ReLU and linear layers have no saturation limit: the loss becomes infinite mid-epoch
    X, y = noisy_curve(n=30, seed=0)
    net = Network.from_sizes([1, 8, 1], activation="relu", output_activation="linear", seed=0)
    seen = []
    with pytest.raises(TrainingDiverged) as info:
        train(net, X, y, loss="mse", learning_rate=1e3, epochs=500, batch_size=7,
              callback=lambda epoch, history: seen.append(len(history.step_loss)))
    history = info.value.history
    assert all(np.isfinite(history.step_loss)) and history.step_loss
    assert history.epochs == len(seen)  # the epoch that diverged is not counted
    assert len(history.step_loss) > (seen[-1] if seen else 0)  # its finite steps are kept
    match = re.search(r"at step (\d+) \(epoch (\d+)\)", str(info.value))
    assert int(match.group(1)) == len(history.step_loss) + 1
    assert int(match.group(2)) == history.epochs + 1


def test_the_fast_path_computes_what_the_checked_path_computes():
    X, y = logic_gate("xor")
    net = Network.from_sizes([2, 3, 1], output_activation="sigmoid", seed=4)
    loss = get_loss("bce")
    output = net.forward(X)
    np.testing.assert_array_equal(net.forward(X, check=False), output)
    value, grad = loss(output, y)
    fast_value, fast_grad = loss(output, y, check=False)
    assert fast_value == value
    np.testing.assert_array_equal(fast_grad, grad)
    assert loss.accuracy(output, y, check=False) == loss.accuracy(output, y)
    assert net.backward(grad, need_input_grad=False) is None
    twin = net.copy()
    with pytest.raises(RuntimeError, match=r"call forward\(\) before backward\(\)"):
        twin.backward(grad)  # a copy keeps no cache of the original's forward pass
    twin.forward(X)
    twin.backward(grad)
    sgd_step(net, 0.5)
    sgd_step(twin, 0.5, check=False)
    for name, p in net.parameters().items():
        np.testing.assert_array_equal(twin.parameters()[name], p)


# ---------------------------------------------------------------- progress


def test_progress_prints_a_line_per_epoch_outside_a_notebook(capsys):
    X, y = logic_gate("xor")
    train(Network.from_sizes([2, 2, 1]), X, y, epochs=3, progress=True)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    for k, line in enumerate(lines, start=1):
        filled = int(30 * k / 3)
        assert line.startswith(f"[{'#' * filled}{'.' * (30 - filled)}] {k}/3 loss ")
    assert float(lines[-1].split("loss ")[1]) > 0


def test_no_output_without_progress(capsys):
    X, y = logic_gate("xor")
    train(Network.from_sizes([2, 2, 1]), X, y, epochs=3)
    assert capsys.readouterr().out == ""


def test_progress_line():
    bar = Progress(40)
    assert bar.line(12, "loss 0.5") == "[" + "#" * 9 + "." * 21 + "] 12/40 loss 0.5"
    assert bar.line(0) == "[" + "." * 30 + "] 0/40"
    assert Progress(4, width=8).line(4) == "[########] 4/4"


def test_accuracy_function():
    X, y = logic_gate("and")
    net = Network.from_sizes([2, 1], seed=0)
    out = net.forward(X)
    assert accuracy(net, X, y, "bce") == np.mean((out > 0.5) == (y > 0.5))


def test_a_float32_network_trains_in_float32_even_on_float64_data():
    X, y = logic_gate("xor")  # float64
    net = Network.from_sizes([2, 4, 1], activation="tanh", output_activation="sigmoid",
                             seed=0, dtype=np.float32)
    train(net, X, y, loss="bce", learning_rate=0.5, epochs=3)
    for layer in net.layers:
        assert layer.weights.dtype == np.float32 and layer.bias.dtype == np.float32
        assert layer.grad_weights.dtype == np.float32
        assert all(a.dtype == np.float32 for a in layer.cache[:4])  # X, Z, A, W
