"""Growth plans: the gaps between a person's own ratings and their next level, mentors and stretch work."""
