r"""Gradient checking: compare back-propagation with finite differences.

For any parameter :math:`w`, the slope of the loss can be estimated without
calculus by nudging it both ways:

.. math:: \frac{\partial L}{\partial w} \approx \frac{L(w + \epsilon) - L(w - \epsilon)}{2\epsilon}

If back-propagation is right, its gradient and this estimate agree. We report
the relative error ``||analytic - numeric|| / (||analytic|| + ||numeric||)``
per parameter array, graded: below 1e-7 **good**, above 1e-4 **wrong**, in
between **inspect**. A report is ``ok`` when no row is wrong.

Where the thresholds come from (float64, the default ``eps`` = 1e-6):

- A correct gradient still differs from the estimate by the estimate's own
  errors: the central difference's truncation error, about ``eps**2 / 6``
  times the third derivative (1e-13 relative for smooth activations), and
  rounding, about ``machine_eps * |L| / eps`` = 2.2e-16 / 1e-6, some 1e-10
  relative. So a correct smooth network scores 1e-8 or less: **good** below
  1e-7 leaves that a margin of ten.
- A relative error of ``r`` means a gradient off by about ``2 r``: **wrong**
  above 1e-4 catches any gradient off by more than 0.02 %; a real mistake (a
  wrong factor, a missing term, a transposed matrix) is off by 1 % to 100 %
  (relative error 5e-3 to 1), so even a 1 % mistake is wrong, never ok.
- In between, **inspect**: what a correct network gives when a ReLU input
  sits within ``eps`` of its kink at 0, where the slope jumps and the
  finite difference straddles it.

``eps`` must be between 1e-10 and 1e-3. Wider nudges measure the curve's
bend rather than its slope (truncation grows as eps**2: at eps = 1 a correct
network would be graded wrong), narrower ones drown in rounding.
"""

from __future__ import annotations

import numbers

import numpy as np

from nnlib.activation import get_activation
from nnlib.checks import as_array, as_matrix, check_finite, make_rng
from nnlib.layer import Dense
from nnlib.loss import get_loss
from nnlib.network import Network, check_network

GOOD, WRONG = 1e-7, 1e-4
EPS_RANGE = (1e-10, 1e-3)


def check_eps(eps) -> float:
    """``eps`` as a float if it is a number in ``EPS_RANGE``, else TypeError/ValueError."""
    if isinstance(eps, bool) or not isinstance(eps, numbers.Real):
        raise TypeError(f"eps must be a small number such as 1e-6, got {eps!r}")
    low, high = EPS_RANGE
    if not low <= eps <= high:  # also NaN
        raise ValueError(
            f"eps must be between {low:g} and {high:g} (the default 1e-6 suits float64), "
            f"got {eps!r}: wider nudges measure the curve's bend, not its slope, and "
            f"narrower ones drown in rounding")
    return float(eps)


def numerical_gradient(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central-difference estimate of df/dx for a scalar function ``f()`` of array ``x``.

    ``x`` is nudged in place, one element at a time, and restored.
    """
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


def relative_error(analytic, numeric, atol: float = 0.0) -> float:
    """``||a - n|| / (||a|| + ||n||)``, and 0.0 when ``||a - n|| <= atol``.

    ``atol`` is the rounding noise of the finite differences (see
    ``rounding_noise``): closer than that, the two agree as well as can be
    measured, and the report says 0. It matters most when the true gradient is
    0 -- e.g. a shared bias in front of a softmax, which ignores shifts --
    because then the plain ratio compares two specks of rounding noise.
    """
    a, n = np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)
    diff = np.linalg.norm(a - n)
    if diff <= atol:
        return 0.0
    return float(diff / (np.linalg.norm(a) + np.linalg.norm(n)))


def rounding_noise(scale: float, size: int, eps: float) -> float:
    """The rounding noise of ``numerical_gradient`` for an array of ``size`` elements.

    A float64 function value of about ``scale`` is off by about
    ``machine_eps * scale``, so one central difference by that over ``eps``;
    we allow ten times that per element.
    """
    return 10.0 * np.sqrt(size) * np.finfo(np.float64).eps * max(scale, 1.0) / eps


def grade(error: float) -> str:
    """``"good"`` below 1e-7, ``"wrong"`` above 1e-4 (or NaN), ``"inspect"`` in between."""
    if error < GOOD:
        return "good"
    return "inspect" if error <= WRONG else "wrong"


class GradcheckReport:
    """Rows of (name, shape, relative error, grade); prints as a table."""

    def __init__(self, rows):
        self.rows = [(name, shape, err, grade(err)) for name, shape, err in rows]

    @property
    def errors(self) -> dict:
        return {name: err for name, _, err, _ in self.rows}

    @property
    def ok(self) -> bool:
        """True when no row is graded "wrong"."""
        return all(g != "wrong" for *_, g in self.rows)

    @property
    def max_error(self) -> float:
        return max(err for _, _, err, _ in self.rows)

    def __repr__(self) -> str:
        width = max(len("parameter"), *(len(name) for name, *_ in self.rows))
        lines = [f"{'parameter':<{width}}  {'shape':<10}  {'rel. error':>10}  grade"]
        for name, shape, err, g in self.rows:
            lines.append(f"{name:<{width}}  {str(shape):<10}  {err:>10.2e}  {g}")
        return "\n".join(lines)


def _require_float64(arrays):
    for a in arrays:
        if a.dtype != np.float64:
            raise ValueError(
                f"gradcheck needs float64 parameters (float32 rounding swamps the "
                f"finite differences), got {a.dtype}"
            )
        check_finite(a, "a parameter")  # NaN weights give NaN gradients: nothing to check


def gradcheck(network, X, y, loss, eps: float = 1e-6) -> GradcheckReport:
    """Check back-propagation of a whole network, parameter array by parameter array.

    For a sigmoid output with binary cross-entropy it checks what ``train``
    uses: the loss and gradient from the output layer's weighted sums.
    """
    network = check_network(network, "gradcheck")
    loss = get_loss(loss)
    loss.check_network(network)
    eps = check_eps(eps)
    X = as_matrix(X, "X", network.layers[0].n_in)
    params = network.parameters()
    _require_float64(params.values())
    y = loss.check_target(network.forward(X), y)
    exact = loss.on_logits(network) if type(network).backward is Network.backward else None

    def loss_and_grad():
        output = network.forward(X, check=False)
        if exact is None:
            return loss(output, y, check=False)
        return exact.compute(network.layers[-1].cache.Z, y)

    def f():
        return loss_and_grad()[0]

    value, grad = loss_and_grad()
    if exact is None:
        network.backward(grad)
    else:
        network.backward_from_logits(grad)
    analytic = {k: v.copy() for k, v in network.gradients().items()}
    rows = [(name, p.shape, relative_error(analytic[name], numerical_gradient(f, p, eps),
                                           rounding_noise(abs(value), p.size, eps)))
            for name, p in params.items()]
    return GradcheckReport(rows)


def gradcheck_layer(layer, X, eps: float = 1e-6, seed=0) -> GradcheckReport:
    """Check one layer's backward: weights, bias and input gradients.

    Uses the scalar ``L = sum(G * layer(X))`` for a fixed random ``G`` (uniform
    in [-1, 1], drawn from ``seed``), whose gradient w.r.t. the layer's output
    is exactly ``G``. ``layer`` may also be a ``Network`` of layers, even one
    that uses a layer twice (``nnlib.bug_zoo``): then every parameter array is
    a row. A model that adds up its gradients (it has ``zero_grad``, like the
    bug zoo's) is reset first, so the check sees one backward pass.
    """
    if not isinstance(layer, (Dense, Network)):
        raise TypeError(f"gradcheck_layer expects a Dense layer (or a Network), "
                        f"got {type(layer).__name__}")
    eps = check_eps(eps)
    layers = getattr(layer, "layers", [layer])  # a Network's layers, or the layer itself
    X = np.array(as_matrix(X, "X", layers[0].n_in), dtype=np.float64)
    _require_float64(layer.parameters().values())
    G = make_rng(seed).uniform(-1.0, 1.0, size=(X.shape[0], layers[-1].n_out))

    def f():
        return float(np.sum(G * layer.forward(X, check=False)))

    scale = float(np.sum(np.abs(G * layer.forward(X, check=False))))
    if hasattr(layer, "zero_grad"):
        layer.zero_grad()
    grad_X = layer.backward(G)
    analytic = {k: v.copy() for k, v in layer.gradients().items()}
    rows = [(name, p.shape, relative_error(analytic[name], numerical_gradient(f, p, eps),
                                           rounding_noise(scale, p.size, eps)))
            for name, p in layer.parameters().items()]
    rows.append(("input", X.shape, relative_error(grad_X, numerical_gradient(f, X, eps),
                                                  rounding_noise(scale, X.size, eps))))
    return GradcheckReport(rows)


def gradcheck_loss(loss, output, target, eps: float = 1e-6) -> GradcheckReport:
    """Check a loss's gradient w.r.t. the output."""
    loss = get_loss(loss)
    eps = check_eps(eps)
    output = np.array(as_matrix(output, "output"), dtype=np.float64)
    target = loss.check_target(output, target)
    value, grad = loss(output, target, check=False)

    def f():
        return loss(output, target, check=False)[0]

    noise = rounding_noise(abs(value), output.size, eps)
    return GradcheckReport([(loss.name, output.shape,
                             relative_error(grad, numerical_gradient(f, output, eps), noise))])


def gradcheck_activation(activation, z, eps: float = 1e-6, seed=0) -> GradcheckReport:
    """Check an activation's backward on inputs ``z`` (batch, n)."""
    act = get_activation(activation)
    eps = check_eps(eps)
    z = np.array(as_array(z, "z"), dtype=np.float64)
    if z.ndim != 2:
        raise ValueError(f"z must be 2-D (batch, n), got shape {z.shape}")
    G = make_rng(seed).standard_normal(z.shape)

    def f():
        return float(np.sum(G * act.forward(z)))

    a = act.forward(z)
    analytic = act.backward(G, z, a)
    noise = rounding_noise(float(np.sum(np.abs(G * a))), z.size, eps)
    return GradcheckReport([(act.name, z.shape,
                             relative_error(analytic, numerical_gradient(f, z, eps), noise))])
