"""Errors the service answers with a 400."""

from __future__ import annotations


class BadRequest(ValueError):
    """A request that is well-formed JSON but cannot be served (e.g. a token id out of range)."""
