"""Deployment infrastructure: the merge template, the package build and the IAM rules (never deployed)."""
