"""Use cases: the only place that turns plain data into rows and back, and the only place that
commits. Views call one service function per request."""

from __future__ import annotations


class ServiceError(Exception):
    """A request that cannot be carried out; the message is safe to show to the user."""

    status = 400


class Invalid(ServiceError):
    status = 400


class NotFound(ServiceError):
    status = 404


class Forbidden(ServiceError):
    status = 403


class Conflict(ServiceError):
    status = 409


class SignInRequired(ServiceError):
    """A guest asked for a set whose teacher requires sign-in (QuestionSet.require_signin)."""

    status = 401

    def __init__(self, message: str, set_id: int) -> None:
        super().__init__(message)
        self.set_id = set_id


# Registers the hooks that bump a set's revision with every change to it (issue 16).
from . import question_cache  # noqa: E402, F401
