"""Solutions to the exercises of lesson 8: the handwritten-digits project.

Each text ends by setting ``answer``; ``Exercise.solve`` runs it with ``np`` and
``nnlib`` available.
"""

SOLUTIONS = {
    "n_parameters": """
hidden = 64 * 32 + 32      # weights from 64 inputs to 32 hidden nodes, plus 32 biases
output = 32 * 10 + 10      # weights from 32 hidden nodes to 10 outputs, plus 10 biases
answer = hidden + output
""",
    "predicted_digit": """
from nnlib.exercises import lesson08 as ex

answer = int(np.argmax(ex.PROBABILITIES))    # the position of the largest probability
""",
    "accuracy_fraction": """
# In the lesson `net`, `X_test` and `y_test` already exist; rebuilt here so this runs on its own.
from nnlib import digits_project as project

data = project.digits_split()
net = project.digits_network()
project.train_digits(net, data)
predicted = net.predict(data.X_test).argmax(axis=1)
n_right = int((predicted == data.y_test).sum())    # 349 in the lesson
answer = n_right / len(data.y_test)                # of 359 test images
""",
    "most_confused_pair": """
# In the lesson `confusion` already exists; rebuilt here so this runs on its own.
from nnlib import digits_project as project

data = project.digits_split()
net = project.digits_network()
project.train_digits(net, data)
confusion = project.confusion_matrix(data.y_test, net.predict(data.X_test).argmax(axis=1))

both_ways = confusion + confusion.T     # a read as b plus b read as a
np.fill_diagonal(both_ways, 0)          # the diagonal holds the right answers
a, b = np.unravel_index(np.argmax(both_ways), both_ways.shape)
answer = (int(a), int(b))
""",
}
