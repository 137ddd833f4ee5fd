"""People's rights over their data: an export of what Ladder holds about them, and erasure."""
