"""Podium's browser tests (a package, so that its conftest does not shadow
tests/system/conftest.py when both run in one pytest session)."""
