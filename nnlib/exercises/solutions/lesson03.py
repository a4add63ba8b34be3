"""Solutions to the exercises of lesson 3: bias.

Each text ends by setting ``answer``; ``Exercise.solve`` runs it with ``np`` and
``nnlib`` available.
"""

SOLUTIONS = {
    "z_with_bias": """
x = np.array([0.5, -1.0, 2.0])
w = np.array([0.4, 0.3, -0.2])
b = 0.7
answer = x @ w + b      # 0.2 - 0.3 - 0.4 + 0.7
""",
    "count_biases": """
sizes = [4, 5, 3, 2]
per_layer = len(sizes) - 1      # every layer except the input layer
per_node = sum(sizes[1:])       # every node except the input nodes
answer = (per_layer, per_node)
""",
    "switch_on_x": """
w = 2.0
b = -3.0
answer = -b / w         # w * x + b = 0  =>  x = -b / w
""",
}
