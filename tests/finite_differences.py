"""The tests' own finite differences, written independently of nnlib.gradcheck.

The tests check nnlib's gradients against this, so a mistake in nnlib's
gradcheck cannot hide a mistake in nnlib's back-propagation.
"""

import numpy as np


def central_difference(f, x, eps=1e-6):
    """df/dx for a scalar function f() that reads the array x, nudged in place."""
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


def central_difference_of(f, x, eps=1e-6):
    """d(f(x))/dx for a scalar function f that takes the array x, element by element.

    The same estimate as ``central_difference``, for functions that take their
    input as an argument instead of reading an array that is nudged in place.
    """
    x = np.array(x, dtype=np.float64)
    return central_difference(lambda: f(x), x, eps)
