"""Data sets: shapes, dtypes, label values, seeds, the geometry of the toy sets, and the
integrity of the stored digits."""

import hashlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnlib import datasets as D

seeds = st.integers(0, 2**32 - 1)


# ------------------------------------------------------------- logic gates

TRUTH = {"and": lambda a, b: a and b, "or": lambda a, b: a or b,
         "xor": lambda a, b: a != b, "nand": lambda a, b: not (a and b)}


@pytest.mark.parametrize("name", list(TRUTH))
def test_logic_gates(name):
    X, y = D.logic_gate(name)
    assert X.shape == (4, 2) and y.shape == (4, 1)
    assert X.dtype == y.dtype == np.float64
    assert {tuple(row) for row in X} == {(0, 0), (0, 1), (1, 0), (1, 1)}
    for (a, b), target in zip(X, y[:, 0], strict=True):
        assert target == float(TRUTH[name](bool(a), bool(b)))
    X2, y2 = D.logic_gate(name.upper())
    np.testing.assert_array_equal(y2, y)


# ------------------------------------------------------------- toy sets


@given(n=st.integers(2, 300), seed=seeds)
def test_two_moons(n, seed):
    X, y = D.two_moons(n, noise=0.1, seed=seed)
    assert X.shape == (n, 2) and y.shape == (n, 1)
    assert X.dtype == np.float64
    assert set(np.unique(y)) <= {0.0, 1.0}
    assert int(y.sum()) == n - n // 2
    X2, y2 = D.two_moons(n, noise=0.1, seed=seed)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)


def test_two_moons_without_noise_lie_on_their_half_circles():
    X, y = D.two_moons(101, noise=0.0)
    top, bottom = X[y[:, 0] == 0], X[y[:, 0] == 1]
    np.testing.assert_allclose(np.hypot(top[:, 0], top[:, 1]), 1.0, rtol=1e-12)
    assert np.all(top[:, 1] >= -1e-12)
    np.testing.assert_allclose(np.hypot(bottom[:, 0] - 1, bottom[:, 1] - 0.5), 1.0, rtol=1e-12)
    assert np.all(bottom[:, 1] <= 0.5 + 1e-12)


def test_seeds_change_the_data():
    assert not np.array_equal(D.two_moons(50, seed=0)[0], D.two_moons(50, seed=1)[0])
    assert not np.array_equal(D.circles(50, seed=0)[0], D.circles(50, seed=1)[0])
    assert not np.array_equal(D.spirals(10, seed=0)[0], D.spirals(10, seed=1)[0])
    assert not np.array_equal(D.noisy_curve(10, seed=0)[1], D.noisy_curve(10, seed=1)[1])


@given(n=st.integers(2, 300), factor=st.floats(0.1, 0.9), seed=seeds)
def test_circles(n, factor, seed):
    X, y = D.circles(n, noise=0.0, factor=factor, seed=seed)
    assert X.shape == (n, 2) and y.shape == (n, 1)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r[y[:, 0] == 0], 1.0, rtol=1e-12)
    np.testing.assert_allclose(r[y[:, 0] == 1], factor, rtol=1e-12)
    assert int(y.sum()) == n - n // 2
    X2, _ = D.circles(n, noise=0.0, factor=factor, seed=seed)
    np.testing.assert_array_equal(X, X2)


@given(n_per_class=st.integers(1, 50), n_classes=st.integers(1, 6),
       noise=st.floats(0, 1), seed=seeds)
def test_spirals(n_per_class, n_classes, noise, seed):
    X, y = D.spirals(n_per_class, n_classes, noise, seed)
    assert X.shape == (n_per_class * n_classes, 2)
    assert y.shape == (n_per_class * n_classes,) and y.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(y, minlength=n_classes),
                                  np.full(n_classes, n_per_class))
    # noise turns the angle only, so every point stays within the unit circle
    assert np.all(np.hypot(X[:, 0], X[:, 1]) <= 1.0 + 1e-12)


@given(n=st.integers(1, 200), seed=seeds)
def test_noisy_curve(n, seed):
    x, y = D.noisy_curve(n, noise=0.0, seed=seed)
    assert x.shape == y.shape == (n, 1)
    assert np.all(np.diff(x[:, 0]) >= 0) and np.all(np.abs(x) <= 3)
    np.testing.assert_allclose(y, np.sin(x) + 0.3 * x, rtol=1e-14, atol=1e-15)
    x2, y2 = D.noisy_curve(n, noise=0.5, seed=seed)
    assert x2.shape == (n, 1)
    if n > 2:
        assert not np.allclose(y2, np.sin(x2) + 0.3 * x2)


# ----------------------------------------------------------------- one_hot


@given(labels=st.lists(st.integers(0, 9), min_size=1, max_size=30), extra=st.integers(0, 3))
def test_one_hot(labels, extra):
    labels = np.array(labels)
    k = labels.max() + 1 + extra
    Y = D.one_hot(labels, k)
    assert Y.shape == (len(labels), k)
    np.testing.assert_array_equal(Y.sum(axis=1), 1.0)
    np.testing.assert_array_equal(Y.argmax(axis=1), labels)
    assert set(np.unique(Y)) <= {0.0, 1.0}
    assert D.one_hot(labels).shape == (len(labels), labels.max() + 1)


def test_one_hot_by_hand():
    np.testing.assert_array_equal(D.one_hot([2, 0, 1]), [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
    assert D.one_hot(np.array([], dtype=int), 3).shape == (0, 3)


# --------------------------------------------------------------- splitting


@given(n=st.integers(2, 100), fraction=st.floats(0.0, 0.9), seed=seeds)
def test_train_test_split_is_a_partition(n, fraction, seed):
    X = np.arange(n, dtype=float).reshape(-1, 1) * np.ones((1, 3))  # row i holds i
    y = np.arange(n)
    if not 0 < round(fraction * n) < n:  # one part would be empty: refused
        with pytest.raises(ValueError, match=r"which leaves the (test|training) part empty"):
            D.train_test_split(X, y, fraction, seed)
        return
    X_train, y_train, X_test, y_test = D.train_test_split(X, y, fraction, seed)
    assert len(X_test) == round(fraction * n) and len(X_train) == n - len(X_test)
    np.testing.assert_array_equal(X_train[:, 0], y_train)  # rows stay with their labels
    np.testing.assert_array_equal(X_test[:, 0], y_test)
    assert not set(y_train) & set(y_test)
    assert sorted([*y_train, *y_test]) == list(range(n))
    again = D.train_test_split(X, y, fraction, seed)
    np.testing.assert_array_equal(again[3], y_test)


# ------------------------------------------------------------------ digits


def test_digits_file():
    with np.load(D.DIGITS_FILE, allow_pickle=False) as data:
        assert sorted(data.files) == ["images", "labels"]
        images, labels = data["images"], data["labels"]
    assert images.shape == (1797, 8, 8) and images.dtype == np.uint8
    assert labels.shape == (1797,) and labels.dtype == np.uint8
    assert images.min() == 0 and images.max() == 16
    assert set(np.unique(labels)) == set(range(10))
    counts = np.bincount(labels)
    assert np.all((counts >= 170) & (counts <= 190)), counts
    assert hashlib.sha256(images.tobytes()).hexdigest() == D.DIGITS_SHA256["images"]
    assert hashlib.sha256(labels.tobytes()).hexdigest() == D.DIGITS_SHA256["labels"]


def test_load_digits_images():
    images, labels = D.load_digits_images()
    assert images.shape == (1797, 8, 8) and images.dtype == np.uint8
    assert labels.shape == (1797,)
    assert hashlib.sha256(images.tobytes()).hexdigest() == D.DIGITS_SHA256["images"]


def test_damaged_digits_file_is_refused(tmp_path, monkeypatch):
    images, labels = D.load_digits_images()
    damaged = images.copy()
    damaged[0, 0, 0] += 1
    path = tmp_path / "digits.npz"
    np.savez_compressed(path, images=damaged, labels=labels)
    monkeypatch.setattr(D, "DIGITS_FILE", path)
    with pytest.raises(ValueError, match="is damaged: its images do not match the checksum"):
        D.load_digits_images()


def test_load_digits_split():
    images, labels = D.load_digits_images()
    d = D.load_digits()
    assert d.X_train.shape[1] == d.X_test.shape[1] == 64
    assert len(d.X_test) in (359, 360)
    assert len(d.X_train) + len(d.X_test) == 1797
    assert len(d.y_train) == len(d.X_train) and len(d.y_test) == len(d.X_test)
    assert d.X_train.dtype == np.float64
    assert d.X_train.min() >= 0.0 and d.X_train.max() <= 1.0
    assert d.X_train.max() == 1.0  # 16 / 16
    assert np.issubdtype(d.y_train.dtype, np.integer)
    # every example is one of the stored images with its own label, scaled by 1/16
    lookup = {img.tobytes(): int(lab) for img, lab in
              zip(images.reshape(1797, 64).astype(np.float64) / 16.0, labels, strict=True)}
    assert len(lookup) == 1797  # the 1797 images are all different
    train_keys = {x.tobytes() for x in d.X_train}
    test_keys = {x.tobytes() for x in d.X_test}
    assert not train_keys & test_keys
    assert train_keys | test_keys == set(lookup)
    for X, y in [(d.X_train, d.y_train), (d.X_test, d.y_test)]:
        assert all(lookup[x.tobytes()] == label for x, label in zip(X, y, strict=True))


def test_load_digits_seeds():
    a, b, c = D.load_digits(seed=0), D.load_digits(seed=0), D.load_digits(seed=1)
    np.testing.assert_array_equal(a.X_test, b.X_test)
    assert not np.array_equal(a.y_test, c.y_test)
    assert len(D.load_digits(test_fraction=0.5).X_test) in (898, 899)
