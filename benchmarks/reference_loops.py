"""The same training, written three ways without nnlib, for bench_training.py.

Every function here trains a network of sigmoid hidden layers and a linear
output layer with softmax cross-entropy, by mini-batch SGD, and does exactly
the work that ``nnlib.gradient_descent.train`` does:

- each epoch, shuffle the example order with ``rng.shuffle(order)`` (one numpy
  Generator made from ``seed``, the same order as nnlib's ``train``);
- per mini-batch: forward, loss, backward (no gradient for the input data),
  ``param -= learning_rate * grad``;
- record each step's loss as a Python float, stop if it is not finite, and
  count the correctly classified examples of the batch (nnlib reports accuracy
  for classification losses);
- the epoch's loss is the mean of its step losses.

The numpy loops start from copies of the weights they are given
(``weights[l]`` of shape (n_in, n_out) and ``biases[l]`` of shape (n_out,), as
in nnlib) and return ``(weights, biases, step_losses)``, the trained
parameters in nnlib's shapes, so the results can be compared with nnlib's. The
PyTorch loop trains a model made by ``make_torch_model`` from the same weights.
"""

from __future__ import annotations

import math

import numpy as np


def sigmoid(z):
    """The same stable formula as ``nnlib.activation.sigmoid``."""
    return np.exp(np.minimum(z, 0.0)) / (1.0 + np.exp(-np.abs(z)))


# ------------------------------------------------------- (i) the numpy floor


def train_floor(weights, biases, X, y, learning_rate, epochs, batch_size, seed):
    """A plain vectorised numpy loop: one matrix product per layer and batch.

    Rows are examples, as in nnlib. Same formulas, in the same order, as nnlib's
    Dense / Sigmoid / SoftmaxCrossEntropy / SGD step; nothing around them.
    """
    W = [w.copy() for w in weights]
    b = [v.copy() for v in biases]
    n_layers = len(W)
    rng = np.random.default_rng(seed)
    n = X.shape[0]
    order = np.arange(n)
    step_losses, epoch_losses = [], []
    for _ in range(epochs):
        rng.shuffle(order)
        epoch_loss, correct = 0.0, 0
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            xb, yb = X[idx], y[idx]
            m = len(idx)

            # Forward: A_l = sigmoid(A_{l-1} W_l + b_l); the last layer is linear.
            A = [xb]
            for layer in range(n_layers):
                Z = A[-1] @ W[layer]
                Z += b[layer]
                A.append(sigmoid(Z) if layer < n_layers - 1 else Z)
            logits = A[-1]

            # Softmax cross-entropy, mean over the batch, and its gradient.
            shifted = logits - logits.max(axis=1, keepdims=True)
            log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            probs = np.exp(log_probs)
            rows = np.arange(m)
            loss = float(-log_probs[rows, yb].sum() / m)
            if not math.isfinite(loss):
                raise FloatingPointError(f"loss became {loss}")
            probs[rows, yb] -= 1.0
            dZ = probs / m

            # Backward, last layer first; dX of the input data is not needed.
            grads = [None] * n_layers
            for layer in range(n_layers - 1, -1, -1):
                grads[layer] = (A[layer].T @ dZ, dZ.sum(axis=0))
                if layer > 0:
                    a = A[layer]
                    dZ = (dZ @ W[layer].T) * a * (1.0 - a)
            for layer in range(n_layers):
                W[layer] -= learning_rate * grads[layer][0]
                b[layer] -= learning_rate * grads[layer][1]

            step_losses.append(loss)
            epoch_loss += loss
            correct += int(np.count_nonzero(logits.argmax(axis=1) == yb))
        epoch_losses.append(epoch_loss / math.ceil(n / batch_size))
    return W, b, step_losses


# ------------------------------------------- (iii) one example at a time


def train_per_example(weights, biases, X, y, learning_rate, epochs, batch_size, seed):
    """A per-example loop: each example is a column vector, back-propagated alone.

    The weights are stored the other way round, ``w[l]`` of shape (n_out, n_in),
    so a layer is ``z = w @ a + b`` with ``a`` and ``b`` columns. Each
    mini-batch adds up the examples' gradients, then takes one step with their
    mean -- the same step as the vectorised loops, computed example by example.
    """
    w = [v.T.copy() for v in weights]
    b = [v.reshape(-1, 1).copy() for v in biases]
    n_layers = len(w)
    rng = np.random.default_rng(seed)
    n = X.shape[0]
    order = np.arange(n)
    step_losses, epoch_losses = [], []
    for _ in range(epochs):
        rng.shuffle(order)
        epoch_loss = 0.0
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            sum_w = [np.zeros_like(v) for v in w]
            sum_b = [np.zeros_like(v) for v in b]
            batch_loss, correct = 0.0, 0
            for i in idx:
                grad_w, grad_b, loss, hit = _backprop_one(w, b, X[i].reshape(-1, 1), y[i])
                for layer in range(n_layers):
                    sum_w[layer] += grad_w[layer]
                    sum_b[layer] += grad_b[layer]
                batch_loss += loss
                correct += hit
            step = learning_rate / len(idx)
            for layer in range(n_layers):
                w[layer] -= step * sum_w[layer]
                b[layer] -= step * sum_b[layer]
            loss = batch_loss / len(idx)
            if not math.isfinite(loss):
                raise FloatingPointError(f"loss became {loss}")
            step_losses.append(loss)
            epoch_loss += loss
        epoch_losses.append(epoch_loss / math.ceil(n / batch_size))
    return [v.T.copy() for v in w], [v.ravel().copy() for v in b], step_losses


def _backprop_one(w, b, x, label):
    """Gradients of one example's loss; ``x`` is a column (n_in, 1)."""
    activations = [x]
    for layer in range(len(w)):
        z = w[layer] @ activations[-1] + b[layer]
        activations.append(sigmoid(z) if layer < len(w) - 1 else z)
    z = activations[-1]
    shifted = z - z.max()
    log_probs = shifted - np.log(np.exp(shifted).sum())
    delta = np.exp(log_probs)
    delta[label] -= 1.0
    loss = -float(log_probs[label, 0])
    hit = int(z.argmax() == label)

    grad_w, grad_b = [None] * len(w), [None] * len(w)
    for layer in range(len(w) - 1, -1, -1):
        grad_w[layer] = delta @ activations[layer].T
        grad_b[layer] = delta
        if layer > 0:
            a = activations[layer]
            delta = (w[layer].T @ delta) * a * (1.0 - a)
    return grad_w, grad_b, loss, hit


# --------------------------------------------------------- (ii) PyTorch


def make_torch_model(weights, biases):
    """nn.Sequential(Linear, Sigmoid, ..., Linear) holding copies of the given weights.

    ``nn.Linear`` keeps its weight as (n_out, n_in), so each matrix is transposed.
    The model has the dtype of ``weights`` (float64 or float32).
    """
    import torch

    modules = []
    for layer, (w, v) in enumerate(zip(weights, biases, strict=True)):
        linear = torch.nn.Linear(w.shape[0], w.shape[1], dtype=torch.from_numpy(w).dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(w.T.copy()))
            linear.bias.copy_(torch.from_numpy(v))
        modules.append(linear)
        if layer < len(weights) - 1:
            modules.append(torch.nn.Sigmoid())
    return torch.nn.Sequential(*modules)


def torch_parameters(model):
    """The model's weights and biases back in nnlib's shapes, as numpy arrays."""
    import torch

    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    return ([m.weight.detach().numpy().T.copy() for m in linears],
            [m.bias.detach().numpy().copy() for m in linears])


def train_torch(model, X, y, learning_rate, epochs, batch_size, seed):
    """PyTorch as it is usually written: a model, ``cross_entropy``, ``optim.SGD``.

    Trains ``model`` (from ``make_torch_model``) in place on the CPU and returns
    the step losses. The data stay numpy arrays, shared with torch without a copy.
    """
    import torch

    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
    X_t, y_t = torch.from_numpy(X), torch.from_numpy(y)
    rng = np.random.default_rng(seed)
    n = X.shape[0]
    order = np.arange(n)
    step_losses, epoch_losses = [], []
    for _ in range(epochs):
        rng.shuffle(order)
        order_t = torch.from_numpy(order)
        epoch_loss, correct = 0.0, 0
        for start in range(0, n, batch_size):
            idx = order_t[start:start + batch_size]
            xb, yb = X_t[idx], y_t[idx]
            logits = model(xb)
            loss_t = torch.nn.functional.cross_entropy(logits, yb)
            optimizer.zero_grad()
            loss_t.backward()
            optimizer.step()
            loss = loss_t.item()
            if not math.isfinite(loss):
                raise FloatingPointError(f"loss became {loss}")
            step_losses.append(loss)
            epoch_loss += loss
            correct += (logits.argmax(dim=1) == yb).sum().item()
        epoch_losses.append(epoch_loss / math.ceil(n / batch_size))
    return step_losses
