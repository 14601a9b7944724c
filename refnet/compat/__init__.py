"""Compatibility layers that run other libraries' code on refnet (see compat/micrograd.py)."""
