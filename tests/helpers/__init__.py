"""Helpers shared by test modules (tests/conftest.py puts tests/ on the import path)."""
