"""The solution code of every exercise, one module per lesson: ``SOLUTIONS[key]``.

Kept apart from the exercise modules so that a graded build of nnlib can leave
this whole package out (see ``nnlib.exercises.graded``). Each text is Python
that ends by setting ``answer``; it runs with ``np`` and ``nnlib`` available
(``Exercise.solve``). Read them in ``Exercise.solution()``.
"""
