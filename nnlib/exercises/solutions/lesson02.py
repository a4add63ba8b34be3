"""Solutions to the exercises of lesson 2: forward propagation.

Each text ends by setting ``answer``; ``Exercise.solve`` runs it with ``np`` and
``nnlib`` available.
"""

SOLUTIONS = {
    "weighted_sum": """
x = np.array([0.2, 0.7, 1.0])
w = np.array([1.5, -0.5, 0.8])
answer = np.sum(x * w)      # 0.3 - 0.35 + 0.8
""",
    "sigmoid_value": """
z = 2.0
answer = 1 / (1 + np.exp(-z))
""",
    "my_sigmoid": """
def my_sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))                            # exp of a number <= 0: in (0, 1]
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))

answer = my_sigmoid
""",
    "weight_entry": """
from_node, to_node = 3, 2              # counted from 1
answer = (from_node - 1, to_node - 1)  # numpy counts from 0: row = from, column = to
""",
    "layer_output_shape": """
X = np.zeros((32, 64))         # 32 examples, 64 values each
W = np.zeros((64, 16))         # 64 inputs -> 16 nodes
answer = (X @ W).shape
""",
}
