"""Input checks shared by every public function.

A learner who passes the wrong thing should read what was expected and what
was given, never a bare numpy broadcasting error. Each helper returns the
cleaned-up array so callers can write ``X = as_matrix(X, "X")``.
"""

from __future__ import annotations

import math
import numbers

import numpy as np


def _describe(value) -> str:
    """A short description of ``value`` for error messages: type and shape."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"{type(value).__name__} {value!r}"[:120]


def as_array(value, name: str, dtype=None) -> np.ndarray:
    """Convert ``value`` to a float numpy array or raise TypeError naming ``name``."""
    if type(value) is np.ndarray and value.dtype.kind == "f" and dtype is None:
        return value  # already a real float array, as in every training step: nothing to do
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be numbers (a list or numpy array), got {_describe(value)}")
    try:
        arr = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{name} must be numbers (a list or numpy array), got {_describe(value)}"
        ) from exc
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"{name} must hold numbers, got {_describe(value)}")
    if np.issubdtype(arr.dtype, np.complexfloating):  # an imaginary part would be dropped
        raise TypeError(f"{name} must hold real numbers, got {_describe(arr)}")
    if dtype is None and not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(np.float64)
    return arr


class NotFiniteError(ValueError):
    """An array that must hold numbers holds NaN or infinity (often: weights that blew up)."""


def check_finite(arr: np.ndarray, name: str) -> np.ndarray:
    """Raise NotFiniteError (a ValueError) if ``arr`` holds NaN or infinity."""
    if not np.all(np.isfinite(arr)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise NotFiniteError(
            f"{name} contains NaN or infinity (first at index {bad}); "
            f"it must hold finite numbers only, got {arr[bad]} there"
        )
    return arr


def check_float_dtype(dtype) -> np.dtype:
    """``np.float64`` or ``np.float32`` (in any spelling) as a numpy dtype, else TypeError."""
    try:
        dt = None if dtype is None else np.dtype(dtype)
    except TypeError:
        dt = None
    if dt is None or dt.type not in (np.float64, np.float32):  # (dtype == None is float64)
        raise TypeError(f"dtype must be a float type (float64 or float32), got {dtype!r}")
    return dt


def as_matrix(value, name: str, n_columns: int | None = None, dtype=None) -> np.ndarray:
    """A 2-D float array of shape (batch, n_columns): rows are examples.

    A 1-D input is refused with a hint, because it is ambiguous: one example
    with n features, or n examples with one feature each?
    """
    arr = as_array(value, name, dtype)
    if arr.ndim == 1:
        hint = ""
        if n_columns is not None and arr.shape[0] == n_columns:
            hint = f"; for one example use {name}.reshape(1, -1) (shape (1, {n_columns}))"
        elif n_columns == 1:
            hint = f"; for one feature per example use {name}.reshape(-1, 1)"
        raise ValueError(
            f"{name} must be 2-D with shape (batch, {n_columns if n_columns else 'n_features'}) "
            f"- one row per example - but got a 1-D array of shape {arr.shape}{hint}"
        )
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D with shape (batch, n_features), got shape {arr.shape}"
        )
    if arr.shape[0] == 0:
        raise ValueError(f"{name} must hold at least one example (row), got shape {arr.shape}")
    if n_columns is not None and arr.shape[1] != n_columns:
        raise ValueError(
            f"{name} must have {n_columns} columns (one per input node), "
            f"got shape {arr.shape} with {arr.shape[1]}"
        )
    return arr


def check_positive_int(value, name: str) -> int:
    """An int >= 1, or TypeError/ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number >= 1, got {_describe(value)}")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}")
    return int(value)


def check_probability(value, name: str) -> float:
    """A float in [0, 1)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number between 0 and 1, got {_describe(value)}")
    if not 0 <= value < 1:
        raise ValueError(f"{name} must be in [0, 1), got {value}")
    return float(value)


def make_rng(seed) -> np.random.Generator:
    """A numpy Generator from a seed (int), an existing Generator, or None (unseeded)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (isinstance(seed, numbers.Integral) and not isinstance(seed, bool)):
        return np.random.default_rng(seed)
    raise TypeError(f"seed must be an int, a numpy Generator or None, got {_describe(seed)}")


def check_number(value, name: str) -> float:
    """A finite real number as a float, or TypeError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise TypeError(f"{name} must be a finite number, got {value!r}")
    return float(value)


def check_range(value, name: str) -> tuple:
    """A pair of finite numbers ``(low, high)`` with low < high, as floats.

    TypeError if ``value`` is not a pair of numbers, ValueError if they are not
    finite or not in increasing order.
    """
    if (isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 2
            or not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in value)):
        raise TypeError(f"{name} must be a pair of numbers (low, high), got {value!r}")
    low, high = float(value[0]), float(value[1])
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"{name} must be two finite numbers with low < high, got {value!r}")
    return low, high
