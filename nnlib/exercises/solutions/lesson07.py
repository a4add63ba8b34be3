"""Solutions to the exercises of lesson 7: experiments in the playground.

Each text ends by setting ``answer``; ``Exercise.solve`` runs it with ``np`` and
``nnlib`` available.
"""

SOLUTIONS = {
    "straight_line": """
from nnlib.playground import DATASETS
from nnlib.exercises.lesson07 import run

answer = {name for name in DATASETS if run(dataset=name, hidden=()).test_loss[-1] < 0.2}
""",
    "circle_features": """
answer = ("x1^2", "x2^2")
""",
    "xor_layer": """
from nnlib.exercises.lesson07 import run

answer = next(n for n in range(1, 9) if run(dataset="xor", hidden=(n,)).test_loss[-1] < 0.2)
""",
    "too_large_rate": """
from nnlib.playground import LEARNING_RATES
from nnlib.exercises.lesson07 import run

for rate in LEARNING_RATES:
    pg = run(200, dataset="circles", hidden=(4, 4), learning_rate=rate)
    if pg.diverged or max(pg.test_loss) > 1.5 * pg.test_loss[0]:
        break
answer = rate
""",
    "overfit": """
answer = (8, 8)
""",
}
