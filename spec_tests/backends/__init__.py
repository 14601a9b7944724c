"""The adapters shipped with the suite: refnet itself, NumPy and PyTorch (docs/writing-a-backend.md)."""
