"""The package version, here so that core can read it without importing the package root."""

__version__ = "0.1.0"
