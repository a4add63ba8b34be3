"""Solutions to the exercises of lesson 9: debugging back-propagation.

Each text ends by setting ``answer``; ``Exercise.solve`` runs it with ``np`` and
``nnlib`` available.
"""

SOLUTIONS = {
    "fix_sigmoid_slope": """
def sigmoid_backward(grad_A, Z, A):
    return grad_A * A * (1 - A)

answer = sigmoid_backward
""",
    "fix_weight_gradient": """
def weight_gradient(X, grad_Z):
    return X.T @ grad_Z

answer = weight_gradient
""",
    "fix_bias_gradient": """
def bias_gradient(grad_Z):
    return grad_Z.sum(axis=0)

answer = bias_gradient
""",
    "fix_accumulation": """
def add_gradients(layer, grad_weights, grad_bias):
    layer.grad_weights += grad_weights
    layer.grad_bias += grad_bias

answer = add_gradients
""",
    "fix_step": """
def step(layer, learning_rate):
    layer.weights -= learning_rate * layer.grad_weights
    layer.bias -= learning_rate * layer.grad_bias

answer = step
""",
    "fix_reset": """
from nnlib import bug_zoo as zoo
from nnlib.activation import sigmoid

def training_step(model, X, y, learning_rate):
    model.zero_grad()
    output = model.forward(X)
    loss, grad_output = zoo.mse(output, y)
    model.backward(grad_output)
    model.step(learning_rate)
    return loss

answer = training_step
""",
}
