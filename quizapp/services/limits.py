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


def hit(limits: dict[str, int], window_seconds: int) -> list[int]:
    """Count one hit for each key, then raise TooManyRequests if a key now has more hits than
    its limit within the last `window_seconds`. Returns the new hits' ids (see `forget`).

    Recording before counting makes the limit hold under concurrency: of requests arriving
    together, each one's count includes the others', so at most `limit` get through.
    """
    begin_write()
    now = utcnow()
    db.session.execute(delete(RateLimitHit).where(RateLimitHit.at < now - KEEP))
    rows = [RateLimitHit(key=key[:200], at=now) for key in limits]
    db.session.add_all(rows)
    db.session.commit()
    since = now - timedelta(seconds=window_seconds)
    for key, limit in limits.items():
        count = db.session.scalar(
            select(func.count(RateLimitHit.id)).where(
                RateLimitHit.key == key[:200], RateLimitHit.at >= since
            )
        )
        if count > limit:
            minutes = max(1, window_seconds // 60)
            wait = "a minute" if minutes == 1 else f"{minutes} minutes"
            raise TooManyRequests(f"Too many attempts. Wait {wait} and try again.", window_seconds)
    return [row.id for row in rows]


def forget(hit_ids: list[int], clear_key: str | None = None) -> None:
    """Take back hits (a request that turned out fine), and optionally a key's whole count."""
    begin_write()
    db.session.execute(delete(RateLimitHit).where(RateLimitHit.id.in_(hit_ids)))
    if clear_key is not None:
        db.session.execute(delete(RateLimitHit).where(RateLimitHit.key == clear_key[:200]))
    db.session.commit()
