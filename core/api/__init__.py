"""Pieces every API module shares: the error format, size-limited parsers, strict input."""
