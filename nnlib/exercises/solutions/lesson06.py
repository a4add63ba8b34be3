"""Solutions to the exercises of lesson 6: gradient descent, learning rates, epochs.

Each text ends by setting ``answer``; ``Exercise.solve`` runs it with ``np`` and
``nnlib`` available.
"""

SOLUTIONS = {
    "pick_learning_rate": """
X, y = nnlib.logic_gate("xor")
for learning_rate in [0.01, 0.1, 0.3, 1.0, 3.0]:
    net = nnlib.Network.from_sizes([2, 4, 1], activation="tanh",
                                   output_activation="sigmoid", seed=0)
    history = nnlib.train(net, X, y, loss="bce", learning_rate=learning_rate, epochs=200)
    print(f"learning rate {learning_rate:<5} final loss {history.loss[-1]:.4f}")
    if history.loss[-1] < 0.05:
        break
answer = learning_rate
""",
    "diverged_curve": """
from nnlib.exercises.lesson06 import mystery_curves

curves = mystery_curves()
# The diverged run ends far above where it started.
answer = max(curves, key=lambda label: curves[label][-1] / curves[label][0])
""",
    "overshooting_path": """
from nnlib.exercises.lesson06 import landscape_paths

paths = landscape_paths()
# A too-large rate ends far above the lowest loss its own path passed through.
answer = max(paths, key=lambda label: paths[label].losses[-1] / paths[label].losses.min())
""",
    "steps_per_epoch": """
import math

n, batch_size = 1000, 64
answer = math.ceil(n / batch_size)
""",
    "total_updates": """
import math

n, batch_size, epochs = 200, 32, 15
answer = math.ceil(n / batch_size) * epochs
""",
}
