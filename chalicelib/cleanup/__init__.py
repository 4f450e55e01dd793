"""Scheduled cleanup of rejected versions by each group's retention policy."""
