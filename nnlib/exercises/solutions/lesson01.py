"""Solutions to the exercises of lesson 1: layers and nodes.

Each text ends by setting ``answer``; ``Exercise.solve`` runs it with ``np`` and
``nnlib`` available.
"""

SOLUTIONS = {
    "count_weights": """
sizes = [3, 5, 2]
answer = 3 * 5 + 5 * 2      # input -> hidden, then hidden -> output
""",
    "n_weights": """
def n_weights(sizes):
    total = 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        total += n_in * n_out       # one weight per edge between the two layers
    return total

answer = n_weights
""",
    "input_nodes": """
answer = 28 * 28            # one input node per pixel
""",
    "image_to_inputs": """
tiny = np.array([[0, 8],
                 [16, 4]])
answer = tiny.reshape(-1) / 16     # row by row, then scaled to [0, 1]
""",
}
