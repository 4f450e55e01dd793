"""Every error the app raises on purpose, in one place, so entrypoints map them in one place."""

from __future__ import annotations


class ShepherdError(Exception):
    """Base of every deliberate model-shepherd error."""


class ConfigurationError(ShepherdError):
    """A setting is missing or malformed; the message names it."""


class MalformedEventError(ShepherdError):
    """An incoming event lacks the fields we need; retrying will not help."""


class MetricsUnavailableError(ShepherdError):
    """A metrics document is missing, unreadable, not JSON or not numbers."""


class PolicyNotFoundError(ShepherdError):
    """The model package group has no policy file."""


class InvalidPolicyError(ShepherdError):
    """A policy file exists but does not pass the policy schema."""


class ModelPackageNotFoundError(ShepherdError):
    """The model package (version) does not exist (any more)."""


class ConflictError(ShepherdError):
    """Someone else changed the thing first; the caller's change was not applied."""


class DeleteFailedError(ShepherdError):
    """A delete (model package or S3 artifact) failed for a reason other than "already gone"."""
