"""The playground's model: settings in, a network trained by ``nnlib.train`` out.

A ``Playground`` holds everything the playground lesson shows, with no
widgets in it: the settings (data set, noise, split, input features, hidden
layers, activation, learning rate, batch size, seed), the data made from
them, an ``nnlib.Network`` and the loss after every epoch. The widget in
``nnlib.playground_widget`` only draws it and turns button presses into the
calls below, so everything here can be called (and tested) directly::

    pg = Playground(dataset="circles", hidden=(4,), activation="tanh")
    pg.step(10)                      # ten epochs of nnlib.train
    pg.epoch, pg.train_loss[-1], pg.test_loss[-1]
    pg.update(features=("x1", "x2", "x1^2", "x2^2"))   # new settings: a fresh run
    probabilities = pg.predict_grid(50)                  # the heat map, (50, 50)

The network has one sigmoid output (the probability of class 1, the blue
class in the pictures) and is trained with binary cross-entropy. Epoch ``e``
of a run shuffles its mini-batches with the seed ``seed * 1_000_003 + e``, so a run is the
same whether it is played frame by frame or stepped: same settings, same
numbers.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

import numpy as np

from nnlib import datasets
from nnlib.checks import NotFiniteError
from nnlib.gradient_descent import TrainingDiverged, train
from nnlib.loss import get_loss
from nnlib.network import Network

#: Data set names, in the order the widget offers them.
DATASETS = ("xor", "circles", "moons", "spirals", "gaussians")
#: Input features: what each one computes from a point (x1, x2).
FEATURES = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1^2": lambda x1, x2: x1 * x1,
    "x2^2": lambda x1, x2: x2 * x2,
    "x1*x2": lambda x1, x2: x1 * x2,
}
ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear")
#: The learning rates offered, a factor of about 3 apart (a log scale), as TensorFlow
#: Playground offers them.
LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
#: Every control's range: (minimum, maximum).
LIMITS = {
    "n_points": (20, 1000),
    "noise": (0.0, 0.5),
    "train_percent": (10, 90),
    "hidden_layers": (0, 4),
    "nodes": (1, 8),
    "batch_size": (1, 30),
    "seed": (0, 99),
}
#: Half the width of the square the data live in (and the pictures show): [-1.5, 1.5]^2.
EXTENT = 1.5


@dataclass(frozen=True)
class Settings:
    """Everything that defines a run; ``Settings()`` are the playground's defaults.

    ``hidden`` lists the nodes of each hidden layer, e.g. ``(8, 8)``; ``()``
    means no hidden layer (the inputs feed the output node directly).
    ``train_percent`` of the points train the network; the rest test it.
    """

    dataset: str = "xor"
    noise: float = 0.1
    train_percent: int = 70
    features: tuple = ("x1", "x2")
    hidden: tuple = (4, 4)
    activation: str = "tanh"
    learning_rate: float = 0.1
    batch_size: int = 10
    seed: int = 0
    n_points: int = 200

    def __post_init__(self):
        _check_choice(self.dataset, DATASETS, "dataset")
        _check_choice(self.activation, ACTIVATIONS, "activation")
        _check_range(self.noise, "noise", number=True)
        for name in ("train_percent", "batch_size", "seed", "n_points"):
            _check_range(getattr(self, name), name)
        _check_range(self.learning_rate, "learning_rate", number=True,
                     low=LEARNING_RATES[0], high=LEARNING_RATES[-1])
        features = self.features
        if isinstance(features, str) or not isinstance(features, (tuple, list)):
            raise TypeError(f"features must be a tuple of names from {list(FEATURES)}, "
                            f"got {features!r}")
        for name in features:
            _check_choice(name, FEATURES, "feature")
        if not features:
            raise ValueError(f"at least one input feature is needed; choose from {list(FEATURES)}")
        if len(set(features)) != len(features):
            raise ValueError(f"each feature may be chosen once, got {list(features)}")
        # Always in the table's order, so equal choices are equal settings.
        object.__setattr__(self, "features", tuple(f for f in FEATURES if f in features))
        hidden = self.hidden
        if not isinstance(hidden, (tuple, list)):
            raise TypeError(f"hidden must be a tuple of layer sizes such as (8, 8), got {hidden!r}")
        _check_range(len(hidden), "hidden_layers")
        for size in hidden:
            _check_range(size, "nodes")
        object.__setattr__(self, "hidden", tuple(int(size) for size in hidden))

    @property
    def sizes(self) -> list:
        """Nodes per layer, inputs first: e.g. ``[2, 4, 4, 1]``."""
        return [len(self.features), *self.hidden, 1]


def _check_choice(value, choices, name):
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}, got {value!r}")


def _check_range(value, name, number=False, low=None, high=None):
    low, high = LIMITS[name] if low is None else (low, high)
    kinds = (int, float, np.integer, np.floating) if number else (int, np.integer)
    if isinstance(value, bool) or not isinstance(value, kinds) or not low <= value <= high:
        kind = "a number" if number else "a whole number"
        raise ValueError(f"{name} must be {kind} from {low:g} to {high:g}, got {value!r}")


def make_data(dataset="xor", n_points=200, noise=0.1, seed=0):
    """The points of a data set, scaled to fit the square [-1, 1]^2 (before noise).

    Returns ``X`` (n_points, 2) and labels ``y`` (n_points, 1) in {0, 1}.
    """
    _check_choice(dataset, DATASETS, "dataset")
    if dataset == "xor":
        return datasets.xor_points(n_points, noise, seed)
    if dataset == "circles":
        return datasets.circles(n_points, noise, factor=0.5, seed=seed)
    if dataset == "gaussians":
        return datasets.gaussian_clusters(n_points, noise, seed=seed)
    if dataset == "moons":
        X, y = datasets.two_moons(n_points, noise, seed)
        # The moons span x1 in [-1, 2] and x2 in [-0.5, 1]: centre them, then scale.
        return (X - [0.5, 0.25]) / 1.5, y
    # Two spiral arms; their noise is in radians, so the same noise shows alike.
    X, labels = datasets.spirals(n_points // 2, 2, noise * 2, seed)
    return X, labels.reshape(-1, 1).astype(np.float64)


def feature_matrix(X, features) -> np.ndarray:
    """The network's inputs: one column per feature, computed from the points ``X`` (n, 2)."""
    x1, x2 = X[:, 0], X[:, 1]
    return np.column_stack([FEATURES[name](x1, x2) for name in features])


def grid_points(resolution: int) -> np.ndarray:
    """``resolution``^2 points covering the picture's square, row by row from the top.

    Shape (resolution * resolution, 2); row ``r`` of the picture has x2 falling
    from +EXTENT (top) to -EXTENT (bottom), x1 rising from left to right.
    """
    steps = (np.arange(resolution) + 0.5) / resolution * 2 * EXTENT - EXTENT
    x1, x2 = np.meshgrid(steps, steps[::-1])
    return np.column_stack([x1.ravel(), x2.ravel()])


class Playground:
    """A playground run: settings, data, the network and the losses so far.

    Create it with settings as keywords (see ``Settings``); ``step`` trains,
    ``update`` changes settings, ``reset`` starts the run again. Attributes:
    ``settings``, ``network``, ``epoch``, ``train_loss`` and ``test_loss`` (one
    value per epoch, starting with the untrained network's), ``diverged``.
    """

    def __init__(self, settings: Settings | None = None, **changes):
        base = Settings() if settings is None else settings
        self.settings = replace(base, **changes) if changes else base
        self.loss = get_loss("bce")
        self._make_data()
        self.reset()

    # ------------------------------------------------------------- settings
    def _make_data(self):
        s = self.settings
        X, y = make_data(s.dataset, s.n_points, s.noise, s.seed)
        n_train = max(1, min(len(X) - 1, round(len(X) * s.train_percent / 100)))
        order = np.random.default_rng(s.seed).permutation(len(X))
        self.points_train, self.y_train = X[order[:n_train]], y[order[:n_train]]
        self.points_test, self.y_test = X[order[n_train:]], y[order[n_train:]]

    def reset(self):
        """Start the run again: fresh starting weights from the seed, no epochs, no losses."""
        s = self.settings
        self.X_train = feature_matrix(self.points_train, s.features)
        self.X_test = feature_matrix(self.points_test, s.features)
        self.network = Network.from_sizes(s.sizes, activation=s.activation,
                                          output_activation="sigmoid", seed=s.seed)
        self.epoch = 0
        self.diverged = None  # the TrainingDiverged message, once a run has diverged
        self.train_loss = [self._loss(self.X_train, self.y_train)]
        self.test_loss = [self._loss(self.X_test, self.y_test)]
        self.learning_rates = []  # the rate each epoch was trained with

    def update(self, **changes) -> bool:
        """Change settings, e.g. ``update(noise=0.2)``; returns True if the run was reset.

        A new learning rate applies from the next epoch on, keeping the weights
        (so a learner can raise it mid-run); any other change starts a fresh run,
        as it changes the data or the network. Bad values raise ``ValueError``
        and leave the playground as it was.
        """
        unknown = set(changes) - set(asdict(self.settings))
        if unknown:
            raise TypeError(f"unknown setting(s) {sorted(unknown)}; the settings are "
                            f"{list(asdict(self.settings))}")
        new = replace(self.settings, **changes)
        if new == self.settings:
            return False
        old, self.settings = self.settings, new
        if set(changes) <= {"learning_rate"}:
            return False
        data_keys = ("dataset", "noise", "train_percent", "seed", "n_points")
        if any(getattr(old, k) != getattr(new, k) for k in data_keys):
            self._make_data()
        self.reset()
        return True

    # ------------------------------------------------------------- training
    def step(self, epochs: int = 1) -> int:
        """Train for ``epochs`` epochs with ``nnlib.train``; returns the epochs done.

        Each epoch is one call of ``train`` (mini-batches of ``batch_size``,
        shuffled with the seed ``seed * 1_000_003 + epoch``, scored on the test points). If the
        loss stops being a finite number, the run stops: ``diverged`` holds
        nnlib's message and further steps do nothing until ``reset``.
        """
        if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 1:
            raise ValueError(f"epochs must be a whole number >= 1, got {epochs!r}")
        s = self.settings
        done = 0
        while done < epochs and self.diverged is None:
            epoch = self.epoch + 1
            try:
                history = train(self.network, self.X_train, self.y_train, loss=self.loss,
                                learning_rate=s.learning_rate, epochs=1,
                                batch_size=s.batch_size, seed=s.seed * 1_000_003 + epoch,
                                validation=(self.X_test, self.y_test))
            except (TrainingDiverged, NotFiniteError) as error:
                self.diverged = f"epoch {epoch}: {error}"
                break
            self.epoch = epoch
            self.train_loss.append(history.loss[-1])
            self.test_loss.append(history.val_loss[-1])
            self.learning_rates.append(s.learning_rate)
            done += 1
        return done

    @property
    def steps_per_epoch(self) -> int:
        """Weight updates per epoch: ceil(training points / batch size)."""
        return math.ceil(len(self.X_train) / min(self.settings.batch_size, len(self.X_train)))

    def _loss(self, X, y) -> float:
        return self.loss.value(self.network.forward(X), y)

    # ------------------------------------------------------------ what to draw
    def predict_grid(self, resolution: int = 50) -> np.ndarray:
        """The network's output (probability of class 1) over the picture, (res, res)."""
        values = self.node_values_grid(resolution)
        return values[-1][:, 0].reshape(resolution, resolution)

    def node_values_grid(self, resolution: int) -> list:
        """Every layer's values over the picture's grid: ``[inputs, A1, ..., output]``.

        Each array has one row per grid point (row by row, see ``grid_points``)
        and one column per node: what each node responds to, everywhere.
        """
        X = feature_matrix(grid_points(resolution), self.settings.features)
        with np.errstate(over="ignore", invalid="ignore"):
            return self.network.forward(X, return_all=True)

    def formula(self, layer: int, node: int) -> str:
        """One node's computation with its live weights, as text.

        ``layer``: 1 for the first hidden layer, ..., ``len(hidden) + 1`` for the
        output; ``node`` counts from 1. E.g. ``h1_2 = tanh(0.81 x1 - 1.2 x2 + 0.05)``.
        """
        n_layers = len(self.network.layers)
        if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)) \
                or not 1 <= layer <= n_layers:
            raise ValueError(f"layer must be from 1 to {n_layers}, got {layer!r}")
        dense = self.network.layers[layer - 1]
        if isinstance(node, bool) or not isinstance(node, (int, np.integer)) \
                or not 1 <= node <= dense.n_out:
            raise ValueError(f"node must be from 1 to {dense.n_out} in layer {layer}, "
                             f"got {node!r}")
        inputs = self.input_names(layer)
        terms = [_term(w, name, first=(i == 0))
                 for i, (w, name) in enumerate(zip(dense.weights[:, node - 1], inputs,
                                                   strict=True))]
        bias = 0.0 if dense.bias is None else float(dense.bias[node - 1])
        terms.append(_term(bias, "", first=False))
        return f"{self.node_name(layer, node)} = {dense.activation.name}({''.join(terms)})"

    def input_names(self, layer: int) -> list:
        """Names of the values feeding ``layer``: the features, or the nodes before."""
        if layer == 1:
            return list(self.settings.features)
        return [self.node_name(layer - 1, j + 1) for j in range(self.network.sizes[layer - 1])]

    def node_name(self, layer: int, node: int) -> str:
        """``"h1_3"`` for hidden layer 1 node 3; ``"output"`` for the output node."""
        return "output" if layer == len(self.network.layers) else f"h{layer}_{node}"


def _term(value: float, name: str, first: bool) -> str:
    number = f"{abs(value):.3g}"
    sign = ("-" if value < 0 else "") if first else (" - " if value < 0 else " + ")
    return f"{sign}{number}{' ' + name if name else ''}"
