"""Solutions to the exercises of lesson 5: back-propagation.

Each text ends by setting ``answer``; ``Exercise.solve`` runs it with ``np`` and
``nnlib`` available.
"""

SOLUTIONS = {
    "loss_slope": """
a, y = 0.3, 1.0
answer = 2 * (a - y)
""",
    "chain_rule_dw": """
x, w, b, y = 2.0, -0.5, 0.3, 0.0
z = w * x + b
a = 1 / (1 + np.exp(-z))
dL_da = 2 * (a - y)
da_dz = a * (1 - a)
dz_dw = x
answer = dL_da * da_dz * dz_dw
""",
    "sigmoid_slope": """
def my_sigmoid_derivative(z):
    s = 1 / (1 + np.exp(-z))
    return s * (1 - s)

answer = my_sigmoid_derivative
""",
    "update_step": """
x, w, b, y, learning_rate = 1.5, 0.8, -0.5, 1.0, 0.5
a = 1 / (1 + np.exp(-(w * x + b)))
dL_dw = 2 * (a - y) * a * (1 - a) * x
answer = w - learning_rate * dL_dw
""",
}
