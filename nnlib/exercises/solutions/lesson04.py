"""Solutions to the exercises of lesson 4: loss.

Each text ends by setting ``answer``; ``Exercise.solve`` runs it with ``np`` and
``nnlib`` available.
"""

SOLUTIONS = {
    "sum_absolute_error": """
outputs = np.array([0.8, 0.3, 0.6])
labels = np.array([1.0, 0.0, 1.0])
answer = np.abs(outputs - labels).sum()     # 0.2 + 0.3 + 0.4
""",
    "sum_squared_error": """
outputs = np.array([0.8, 0.3, 0.6])
labels = np.array([1.0, 0.0, 1.0])
answer = ((outputs - labels) ** 2).sum()    # 0.04 + 0.09 + 0.16
""",
    "best_constant_sae": """
measurements = np.array([3.0, 7.0, 4.0, 20.0, 5.0])
answer = np.median(measurements)    # the middle value: half the data on each side
""",
    "bce_confident_wrong": """
p = 0.01          # predicted probability of "yes"
y = 1.0           # the label
answer = -(y * np.log(p) + (1 - y) * np.log(1 - p))    # = -ln(0.01), ln = np.log
""",
    "which_loss": """
# The few far-off records are outliers. Under the squared error a record's pull grows
# with its distance; under the absolute error every record pulls equally hard
# (section 5: SAE picks the median, which the outliers barely move).
answer = "SAE"
""",
}
