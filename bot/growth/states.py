"""The words growth's records are stored in: a mentorship's, a stretch assignment's and an interest's statuses.

The domain's vocabulary, stored as these strings. Like :mod:`bot.nominations.stages` it imports nothing, so the storage
layer's repositories may read it for their queries (docs/architecture.md; tests/test_layers.py checks it stays a leaf).
"""

REQUESTED, ACCEPTED, DECLINED, ENDED = "requested", "accepted", "declined", "ended"
"""A mentorship: asked of the mentor, accepted (running), declined, ended."""
STARTED = (ACCEPTED, ENDED)
"""Mentorships that began."""
OPEN, CLOSED = "open", "closed"
"""A stretch assignment: open to interest, or closed (taken, or closed by its poster)."""
INTERESTED, TAKEN, WITHDRAWN = "interested", "taken", "withdrawn"
"""Someone's interest in a stretch assignment."""
