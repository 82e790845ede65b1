"""Rate limits counted in the database, so every server process sees the same count."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from ..database import begin_write
from ..extensions import db
from ..models import RateLimitHit, utcnow
from . import ServiceError

KEEP = timedelta(days=1)  # hits older than this are deleted when new ones are recorded


class TooManyRequests(ServiceError):
    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def check(keys: list[str], limit: int, window_seconds: int) -> None:
    """Raise TooManyRequests when any key has `limit` hits within the last `window_seconds`."""
    since = utcnow() - timedelta(seconds=window_seconds)
    for key in keys:
        hits = db.session.scalar(
            select(func.count(RateLimitHit.id)).where(
                RateLimitHit.key == key, RateLimitHit.at >= since
            )
        )
        if hits >= limit:
            minutes = max(1, window_seconds // 60)
            raise TooManyRequests(
                f"Too many attempts. Wait {minutes} minutes and try again.", window_seconds
            )


def record(keys: list[str]) -> None:
    """Count one hit for each key (and forget hits older than a day)."""
    begin_write()
    now = utcnow()
    db.session.execute(delete(RateLimitHit).where(RateLimitHit.at < now - KEEP))
    db.session.add_all(RateLimitHit(key=key[:200], at=now) for key in keys)
    db.session.commit()


def clear(key: str) -> None:
    begin_write()
    db.session.execute(delete(RateLimitHit).where(RateLimitHit.key == key[:200]))
    db.session.commit()
