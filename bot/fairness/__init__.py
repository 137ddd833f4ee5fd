"""Fairness audits: who was eligible, nominated and promoted in a cycle, by group; IC–manager parity; calibration of
judges; trends across cycles. Group data (gender, location, …) is read here and nowhere else."""
