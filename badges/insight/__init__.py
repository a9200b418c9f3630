"""Insight: figures about issued credentials that are safe to publish (``/statistieken``)."""
