"""Per-modality example inputs for the registry contract tests.

Each ``inputs_<modality>.py`` module defines ``INPUTS``: a list of ``(name, factory)``
where ``factory()`` returns a fresh input. A transform registered under a modality is
checked on every input of that modality (``tests/test_contract.py``).
"""
