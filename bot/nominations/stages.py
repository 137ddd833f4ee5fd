"""The words a nomination's life is stored in: its stages, its review requests' statuses, its decisions' rounds.

The domain's vocabulary, stored as these strings. This module imports nothing, so the storage layer's repositories
may read it for their queries (the one import of the domain that storage is allowed: docs/architecture.md, the
`storage` contract in pyproject.toml; tests/test_layers.py checks that it stays a leaf).
"""

DRAFT, COLLECTING, READY, WITHDRAWN = "draft", "collecting", "ready", "withdrawn"
DECIDED, PUBLISHED = "decided", "published"
"""Nomination stages: a draft, collecting reviews, ready for the panel, decided, published (or withdrawn before a decision)."""

REQUESTED, SUBMITTED, DECLINED, EXPIRED, CANCELLED = "requested", "submitted", "declined", "expired", "cancelled"
"""Review request statuses."""
ASKED = (REQUESTED, SUBMITTED)
"""Requests that count against a reviewer's cap and toward a nomination's reviews."""

REVIEW_ROUND, APPEAL_ROUND = "review", "appeal"
"""A panel decision's round: the panel's decision on the nomination, or the decision on its appeal."""
