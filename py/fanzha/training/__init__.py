"""Development-time training and measurement of the learned scorer (``fanzha.model``).

Needs the ``train`` extra (scikit-learn); never shipped to the browser. ``python -m fanzha train`` writes
``py/fanzha/model.bin``; ``python -m fanzha eval --cv`` prints cross-validated figures for the whole
checker and the leave-one-source-out table.
"""
