"""Small data sets to learn from, all seeded so every run gives the same data.

Conventions: inputs ``X`` have shape (n_examples, n_features). Two-class
labels ``y`` have shape (n_examples, 1) with values 0.0/1.0, ready for a
network with one sigmoid output. Many-class labels are integers of shape
(n_examples,), ready for ``SoftmaxCrossEntropy`` (or ``one_hot``).
"""

from __future__ import annotations

import hashlib
from importlib import resources
from typing import NamedTuple

import numpy as np

from nnlib.checks import as_array, check_positive_int, check_probability, make_rng

#: The digits ship inside the package (package data), so a wheel or ``pip install .``
#: has them too; source and licence: data/README.md in the course repository.
DIGITS_FILE = resources.files("nnlib") / "data" / "digits.npz"
#: sha256 of the digits' image bytes and label bytes, as exported (see data/README.md).
DIGITS_SHA256 = {
    "images": "8f26b2bd9d135c256808f68f14fdabddde6d9c7f869ae419704b051f0f14b3b3",
    "labels": "8ba4f891220f5e4c9c819638d1602d74b83618f167043c6da52a2a247841ddf0",
}

_GATES = {
    "and": [0, 0, 0, 1],
    "or": [0, 1, 1, 1],
    "xor": [0, 1, 1, 0],
    "nand": [1, 1, 1, 0],
}


def logic_gate(name: str = "xor"):
    """The four inputs (0,0), (0,1), (1,0), (1,1) and a gate's output for each.

    ``name``: ``"and"``, ``"or"``, ``"xor"`` or ``"nand"``. Returns ``X`` (4, 2)
    and ``y`` (4, 1).
    """
    if not isinstance(name, str) or name.lower() not in _GATES:
        raise ValueError(f"gate must be one of {sorted(_GATES)}, got {name!r}")
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    y = np.array(_GATES[name.lower()], dtype=np.float64).reshape(-1, 1)
    return X, y


def two_moons(n: int = 200, noise: float = 0.1, seed=0):
    """Two interleaving half circles; ``X`` (n, 2), ``y`` (n, 1) in {0, 1}."""
    n = check_positive_int(n, "n")
    noise = _check_noise(noise)
    rng = make_rng(seed)
    n_top = n // 2
    t_top = np.linspace(0, np.pi, n_top)
    t_bottom = np.linspace(0, np.pi, n - n_top)
    top = np.column_stack([np.cos(t_top), np.sin(t_top)])
    bottom = np.column_stack([1 - np.cos(t_bottom), 0.5 - np.sin(t_bottom)])
    X = np.vstack([top, bottom]) + noise * rng.standard_normal((n, 2))
    y = np.concatenate([np.zeros(n_top), np.ones(n - n_top)]).reshape(-1, 1)
    return _shuffled(X, y, rng)


def circles(n: int = 200, noise: float = 0.05, factor: float = 0.5, seed=0):
    """A small circle (label 1) inside a big one (label 0); ``X`` (n, 2), ``y`` (n, 1)."""
    n = check_positive_int(n, "n")
    noise = _check_noise(noise)
    if isinstance(factor, bool) or not isinstance(factor, (int, float)) or not 0 < factor < 1:
        raise ValueError(f"factor (inner radius / outer radius) must be in (0, 1), got {factor!r}")
    rng = make_rng(seed)
    n_out = n // 2
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n - n_out, endpoint=False)
    X = np.vstack([np.column_stack([np.cos(t_out), np.sin(t_out)]),
                   factor * np.column_stack([np.cos(t_in), np.sin(t_in)])])
    X += noise * rng.standard_normal((n, 2))
    y = np.concatenate([np.zeros(n_out), np.ones(n - n_out)]).reshape(-1, 1)
    return _shuffled(X, y, rng)


def spirals(n_per_class: int = 100, n_classes: int = 3, noise: float = 0.2, seed=0):
    """Arms of a spiral, one per class; ``X`` (n, 2), integer labels ``y`` (n,)."""
    n_per_class = check_positive_int(n_per_class, "n_per_class")
    n_classes = check_positive_int(n_classes, "n_classes")
    noise = _check_noise(noise)
    rng = make_rng(seed)
    X, y = [], []
    for k in range(n_classes):
        r = np.linspace(0.0, 1.0, n_per_class)
        t = (np.linspace(k * 4.0, (k + 1) * 4.0, n_per_class)
             + noise * rng.standard_normal(n_per_class))
        X.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
        y.append(np.full(n_per_class, k))
    return _shuffled(np.vstack(X), np.concatenate(y).astype(np.int64), rng)


def xor_points(n: int = 200, noise: float = 0.1, seed=0):
    """XOR as a cloud of points: label 1 where exactly one coordinate is positive.

    Points are drawn uniformly in the square [-1, 1]^2, kept 0.05 away from the
    axes so the four quarters stay apart, then moved by Gaussian ``noise``.
    ``X`` (n, 2), ``y`` (n, 1) in {0, 1}.
    """
    n = check_positive_int(n, "n")
    noise = _check_noise(noise)
    rng = make_rng(seed)
    X = rng.uniform(0.05, 1.0, (n, 2)) * rng.choice([-1.0, 1.0], (n, 2))
    y = (X[:, 0] * X[:, 1] < 0).astype(np.float64).reshape(-1, 1)
    return X + noise * rng.standard_normal((n, 2)), y


def gaussian_clusters(n: int = 200, noise: float = 0.1, spread: float = 0.25, seed=0):
    """Two round clusters, centred at (-0.5, -0.5) (label 0) and (0.5, 0.5) (label 1).

    Each point is its centre plus Gaussian scatter of standard deviation
    ``spread``, then Gaussian ``noise`` on top. ``X`` (n, 2), ``y`` (n, 1).
    """
    n = check_positive_int(n, "n")
    noise = _check_noise(noise)
    if isinstance(spread, bool) or not isinstance(spread, (int, float)) or not 0 < spread < np.inf:
        raise ValueError(f"spread must be a finite number > 0, got {spread!r}")
    rng = make_rng(seed)
    y = (np.arange(n) >= n // 2).astype(np.float64)
    centres = np.where(y[:, None] == 1.0, 0.5, -0.5)
    X = centres + spread * rng.standard_normal((n, 2)) + noise * rng.standard_normal((n, 2))
    return _shuffled(X, y.reshape(-1, 1), rng)


def noisy_curve(n: int = 100, noise: float = 0.1, seed=0):
    """A wavy 1-D curve with noise, for regression: ``x`` (n, 1) in [-3, 3], ``y`` (n, 1).

    ``y = sin(x) + 0.3 x + noise``.
    """
    n = check_positive_int(n, "n")
    noise = _check_noise(noise)
    rng = make_rng(seed)
    x = np.sort(rng.uniform(-3, 3, n)).reshape(-1, 1)
    y = np.sin(x) + 0.3 * x + noise * rng.standard_normal((n, 1))
    return x, y


def one_hot(labels, n_classes: int | None = None) -> np.ndarray:
    """Integer labels (n,) to rows of zeros with a single 1, shape (n, n_classes)."""
    if isinstance(labels, (str, bytes)) or labels is None:
        raise TypeError(f"labels must be integers (class indices), got {labels!r}")
    try:
        labels = np.asarray(labels)
    except ValueError as exc:  # rows of different lengths
        raise ValueError(f"labels must be 1-D (one integer per example), got {labels!r:.60}") \
            from exc
    if labels.ndim != 1:
        raise ValueError(f"labels must be 1-D (one integer per example), got shape {labels.shape}")
    if not np.issubdtype(labels.dtype, np.integer):
        raise TypeError(f"labels must be integers (class indices), got dtype {labels.dtype}")
    if labels.size and labels.min() < 0:
        raise ValueError(f"labels must be >= 0, got {labels.min()}")
    if labels.size == 0 and n_classes is None:
        raise ValueError("one_hot needs n_classes when there are no labels, got labels of "
                         f"shape {labels.shape} and n_classes=None")
    k = int(labels.max()) + 1 if n_classes is None else check_positive_int(n_classes, "n_classes")
    if labels.size and labels.max() >= k:
        raise ValueError(f"labels must be below n_classes={k}, got {labels.max()}")
    out = np.zeros((labels.size, k))
    out[np.arange(labels.size), labels] = 1.0
    return out


def train_test_split(X, y, test_fraction: float = 0.2, seed=0):
    """Shuffle reproducibly and split: ``X_train, y_train, X_test, y_test``.

    The test part gets ``round(test_fraction * n)`` of the ``n`` rows. Both
    parts must hold at least one example: a split that leaves one empty is
    refused (ValueError), since training or testing on nothing means nothing.
    """
    X = as_array(X, "X")
    y = np.asarray(y)
    if X.ndim == 0 or y.ndim == 0:
        raise ValueError(f"X and y must hold one row per example, got shapes {X.shape} "
                         f"and {y.shape}")
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same number of rows, got {len(X)} and {len(y)}")
    test_fraction = check_probability(test_fraction, "test_fraction")
    order = make_rng(seed).permutation(len(X))
    n_test = int(round(test_fraction * len(X)))
    if not 0 < n_test < len(X):
        empty = "test" if n_test == 0 else "training"
        raise ValueError(
            f"train_test_split needs at least one example in each part, got "
            f"test_fraction={test_fraction:g} of {len(X)} examples, which leaves the {empty} "
            f"part empty (use more examples or another test_fraction)")
    test, train = order[:n_test], order[n_test:]
    return X[train], y[train], X[test], y[test]


class Digits(NamedTuple):
    """The digits, split. ``X_*`` (n, 64) in [0, 1]; ``y_*`` integer labels (n,)."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def load_digits_images():
    """All 1797 digits as stored: ``images`` (1797, 8, 8) uint8 in 0..16, ``labels`` (1797,)."""
    with DIGITS_FILE.open("rb") as file, np.load(file, allow_pickle=False) as data:
        images, labels = data["images"], data["labels"]
    for key, arr in (("images", images), ("labels", labels)):
        if hashlib.sha256(arr.tobytes()).hexdigest() != DIGITS_SHA256[key]:
            raise ValueError(f"{DIGITS_FILE} is damaged: its {key} do not match the checksum")
    return images, labels


def load_digits(test_fraction: float = 0.2, seed=0) -> Digits:
    """The 8x8 handwritten digits, flattened to 64 inputs scaled to [0, 1], split by ``seed``."""
    images, labels = load_digits_images()
    X = images.reshape(len(images), 64).astype(np.float64) / 16.0
    return Digits(*train_test_split(X, labels.astype(np.int64), test_fraction, seed))


def _check_noise(noise) -> float:
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or not 0 <= noise < np.inf:
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    return float(noise)


def _shuffled(X, y, rng):
    order = rng.permutation(len(X))
    return X[order], y[order]
