"""Shared helpers live in ``tests/helpers.py`` (importable as ``helpers``)."""
