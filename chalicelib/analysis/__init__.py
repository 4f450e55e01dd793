"""Judging a release by its metrics: threshold checks and a baseline comparison, as pure decisions."""
