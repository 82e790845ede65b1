"""Rate limits counted in the database, so every server process sees the same count.

Two kinds: `hit` is a plain limit (at most N events per window per key, then 429), used for
registrations; `count_hits` counts the quiz submission limits (a row per key) inside a
submission's own transaction, and `hit_counted` guests' practice sessions against the same
counts; `SignInGate` is the sign-in policy (OWASP ASVS 5.0 §6.3): growing
delays per (account, address) instead of a lock-out the owner cannot get past.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, delete, func, not_, select

from ..database import begin_write, once_per_dialect
from ..extensions import db
from ..models import RATE_SLOTS, RateLimitCount, RateLimitHit, utcnow
from ..settings import Settings, setting
from . import ServiceError

KEEP = timedelta(days=1)  # hits older than this are deleted when new ones are recorded
# Addresses an account was signed in from stay "known" this long (see SignInGate).
KNOWN = "login:known:"
KEEP_KNOWN = timedelta(days=30)


class TooManyRequests(ServiceError):
    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, int(retry_after))


class Busy(TooManyRequests):
    """The server is doing as much of this work as it may at once (password hashing): 503."""

    status = 503


def _purge(now: datetime) -> None:
    # Two statements, so that each is a range scan of the index on `at`.
    db.session.execute(delete(RateLimitHit).where(RateLimitHit.at < now - KEEP_KNOWN))
    db.session.execute(
        delete(RateLimitHit).where(
            RateLimitHit.at < now - KEEP, not_(RateLimitHit.key.startswith(KNOWN))
        )
    )


def record(keys: list[str]) -> list[int]:
    """Count one hit now for each key (committed); the new hits' ids, in the order of `keys`."""
    begin_write()
    now = utcnow()
    _purge(now)
    rows = [RateLimitHit(key=key[:200], at=now) for key in keys]
    db.session.add_all(rows)
    db.session.flush()
    # The ids are read before the commit: afterwards the rows are expired, and reading one
    # would reload it, failing when another request has deleted it meanwhile (issue 19, #10).
    ids = [row.id for row in rows]
    db.session.commit()
    return ids


def hits(key: str, window_seconds: float) -> list[tuple[int, datetime]]:
    """(id, time) of the key's hits within the last `window_seconds`, oldest first."""
    since = utcnow() - timedelta(seconds=window_seconds)
    rows = db.session.execute(
        select(RateLimitHit.id, RateLimitHit.at)
        .where(RateLimitHit.key == key[:200], RateLimitHit.at >= since)
        .order_by(RateLimitHit.id)
    ).all()
    return [(row.id, row.at) for row in rows]


def _wait_words(seconds: int) -> str:
    if seconds < 90:
        return "a second" if seconds <= 1 else f"{seconds} seconds"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minutes"


def too_many(seconds: float) -> TooManyRequests:
    wait = max(1, math.ceil(seconds))
    return TooManyRequests(f"Too many attempts. Wait {_wait_words(wait)} and try again.", wait)


def hit(limits: dict[str, int], window_seconds: int) -> list[int]:
    """Count one hit for each key, then raise TooManyRequests if a key now has more hits than
    its limit within the last `window_seconds`. Returns the new hits' ids (see `forget`).

    Recording before counting makes the limit hold under concurrency: of requests arriving
    together, each one's count includes the others', so at most `limit` get through.
    """
    ids = record(list(limits))
    since = utcnow() - timedelta(seconds=window_seconds)
    for key, limit in limits.items():
        count = db.session.scalar(
            select(func.count(RateLimitHit.id)).where(
                RateLimitHit.key == key[:200], RateLimitHit.at >= since
            )
        )
        if count > limit:
            raise _refused(window_seconds)
    return ids


# The submission path purges old counts at most this often per process (a DELETE otherwise on
# every submission); sign-ins purge on every hit (`record`).
PURGE_EVERY = 60.0
_last_purge = 0.0


@once_per_dialect
def _count_statement(insert):
    """INSERT … ON CONFLICT (key) DO UPDATE of a `RateLimitCount` row: the slots whose bucket
    has left the window are emptied, the hit is added to the current bucket's slot, and the
    statement returns the key and its count (this hit included)."""
    table = RateLimitCount.__table__
    stmt = insert(table)
    new, old = stmt.excluded, table.c
    updates = {}
    for i in range(RATE_SLOTS):
        slot = f"s{i}"
        # The bucket slot i held (the latest bucket ≤ old.bucket that falls on it) is still
        # within the RATE_SLOTS latest buckets: kept.
        held = old.bucket - (old.bucket - i) % RATE_SLOTS
        kept = case((held > new.bucket - RATE_SLOTS, old[slot]), else_=0)
        updates[slot] = kept + new[slot]
    updates["bucket"] = case((new.bucket > old.bucket, new.bucket), else_=old.bucket)
    updates["at"] = new.at
    total = sum((table.c[f"s{i}"] for i in range(1, RATE_SLOTS)), table.c.s0)
    return stmt.on_conflict_do_update(index_elements=["key"], set_=updates).returning(
        table.c.key, total
    )


def _count_rows(limits: dict[str, tuple[int, int]], now: datetime) -> dict[str, int]:
    """Count one hit now for each key ({key: (limit, window seconds)}) in the session's
    transaction; {key: its count in its window, this hit included}. One statement; rows in key
    order (concurrent requests lock shared keys in one order: never a deadlock)."""
    epoch = now.timestamp()
    rows = []
    for key, (_limit, window) in sorted(limits.items()):
        width = max(1.0, window / (RATE_SLOTS - 1))
        bucket = int(epoch // width)
        slots = {f"s{i}": int(i == bucket % RATE_SLOTS) for i in range(RATE_SLOTS)}
        rows.append({"key": key, "bucket": bucket, "at": now, **slots})
    stmt = _count_statement()
    return {key: count for key, count in db.session.execute(stmt, rows)}


def count_hits(limits: dict[str, tuple[int, int]]) -> list[str]:
    """Inside the caller's write transaction (`begin_write`; no commit): count one hit now for
    each key of `limits` ({key: (limit, window seconds)}) and return the keys now over their
    limit (the caller then rolls back, and counts the refused hit with `count_refused`).

    The count is a row per key (`RateLimitCount`): one upsert for all the keys, returning
    their counts; plus, now and then (PURGE_EVERY), the deletion of rows idle for a day. The
    row lock serialises the requests counting one key (SQLite: the write lock), so at most
    `limit` get through in any `window` seconds; the count covers the window and at most a
    sixth of a window more (the ring's buckets). Call it last before the commit: the row stays
    locked until then (PostgreSQL).
    """
    global _last_purge
    now = utcnow()
    keys = {key[:200]: value for key, value in limits.items()}
    if time.monotonic() - _last_purge >= PURGE_EVERY:
        _last_purge = time.monotonic()
        db.session.execute(delete(RateLimitCount).where(RateLimitCount.at < now - KEEP))
    counts = _count_rows(keys, now)
    return [key for key in limits if counts[key[:200]] > keys[key[:200]][0]]


def count_refused(limits: dict[str, tuple[int, int]]) -> None:
    """Count a refused request's hits (committed, in a transaction of its own): a request
    refused for one key still counts against the others, as `hit` would have counted it."""
    begin_write()
    _count_rows({key[:200]: value for key, value in limits.items()}, utcnow())
    db.session.commit()


def _refused(window_seconds: int) -> TooManyRequests:
    """The refusal of a request over its limit: wait the window (Retry-After)."""
    minutes = max(1, window_seconds // 60)
    wait = "a minute" if minutes == 1 else f"{minutes} minutes"
    return TooManyRequests(f"Too many attempts. Wait {wait} and try again.", window_seconds)


def hit_counted(limits: dict[str, tuple[int, int]]) -> None:
    """`count_hits` in a transaction of its own, committed whatever the outcome (a refused
    request counts too); raises TooManyRequests (Retry-After: the window) for a key over its
    limit."""
    begin_write()
    over = count_hits(limits)
    db.session.commit()
    if over:
        raise _refused(limits[over[0]][1])


def forget(hit_ids: list[int], clear_key: str | None = None) -> None:
    """Take back hits (a request that turned out fine), and optionally a key's whole count."""
    begin_write()
    if hit_ids:
        db.session.execute(delete(RateLimitHit).where(RateLimitHit.id.in_(hit_ids)))
    if clear_key is not None:
        db.session.execute(delete(RateLimitHit).where(RateLimitHit.key == clear_key[:200]))
    db.session.commit()


def backoff(failures: int, free: int, cap: int) -> int:
    """Seconds to wait after `failures` failures: none for the first `free`, then 1, 2, 4, 8 …
    doubling with each further failure, never more than `cap`."""
    if failures < free:
        return 0
    return min(cap, 2 ** min(failures - free, 30))


# --- sign-in ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignInPolicy(Settings):
    """The sign-in limits (config LOGIN_*; README "Integrity")."""

    # failures per (account, address) before the delays start
    free_failures: int = setting("LOGIN_FREE_FAILURES")
    max_delay: int = setting("LOGIN_MAX_DELAY_SECONDS")  # the longest delay ever asked for
    window: int = setting("LOGIN_WINDOW_SECONDS")  # failures older than this are forgotten
    # checked sign-ins (right or wrong) per address in the window
    per_client: int = setting("LOGIN_LIMIT_PER_CLIENT")
    # failures per account from all addresses before unknown addresses wait
    account_failures: int = setting("LOGIN_LIMIT_PER_ACCOUNT")
    # correct sign-ins (web or API token) per account in `success_window` seconds
    successes: int = setting("LOGIN_SUCCESS_LIMIT")
    success_window: int = setting("LOGIN_SUCCESS_WINDOW_SECONDS")


def account_tag(account: str) -> str:
    """A fixed-length stand-in for a normalised email in limit keys."""
    return hashlib.sha256(account.encode("utf-8", "replace")).hexdigest()[:32]


@dataclass
class SignInGate:
    """One sign-in attempt for (account, client address), through the limits:

    - per (account, address): failures in the window beyond `free_failures` make the next try
      wait 1, 2, 4 … up to `max_delay` seconds after the last failure (429 with Retry-After);
      the owner from another address is not slowed by them, and a success clears them;
    - per address: at most `per_client` checked sign-ins in the window, right or wrong (a
      school behind one address stays far below; attempts refused before checking are not
      counted);
    - per account: beyond `account_failures` failures from all addresses (a distributed
      guesser), addresses the account has not signed in from in the last 30 days wait as above,
      counting the failures past that threshold;
    - per account: at most `successes` correct sign-ins in `success_window` seconds, refused
      before the password is hashed.

    `open` records the attempt (before the password is checked, so that attempts arriving
    together see each other) or raises TooManyRequests; then `failed` or `succeeded`.
    """

    account: str
    client: str
    policy: SignInPolicy
    _ids: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        tag = account_tag(self.account)
        client = self.client[:100]
        self.pair_key = f"login:fail:{tag}|{client}"
        self.client_key = f"login:client:{client}"
        self.account_key = f"login:account:{tag}"
        self.success_key = f"login:ok:{tag}"
        self.known_key = f"{KNOWN}{tag}|{client}"

    def open(self) -> None:
        # Correct sign-ins are counted once done (not while in flight: a burst of wrong
        # guesses must not make the owner wait), so sign-ins hashing at the same moment may
        # pass the limit by that many.
        p = self.policy
        successes = hits(self.success_key, p.success_window)
        if len(successes) >= p.successes:
            oldest = successes[len(successes) - p.successes][1]
            raise _success_limit(oldest + timedelta(seconds=p.success_window) - utcnow())
        self._ids = record([self.pair_key, self.client_key])
        try:
            self._check_pair(self._ids[0])
            self._check_client()
            self._check_account()
        except TooManyRequests:
            forget(self._ids)  # refused unchecked: counts as neither a failure nor an attempt
            raise

    def _check_pair(self, mine: int) -> None:
        p = self.policy
        earlier = [at for hit_id, at in hits(self.pair_key, p.window) if hit_id < mine]
        wait = backoff(len(earlier), p.free_failures, p.max_delay)
        if wait:
            left = (earlier[-1] + timedelta(seconds=wait) - utcnow()).total_seconds()
            if left > 0:
                raise too_many(left)

    def _check_client(self) -> None:
        p = self.policy
        recent = hits(self.client_key, p.window)
        if len(recent) > p.per_client:
            oldest = recent[len(recent) - p.per_client - 1][1]
            raise too_many((oldest + timedelta(seconds=p.window) - utcnow()).total_seconds())

    def _check_account(self) -> None:
        p = self.policy
        failures = hits(self.account_key, p.window)
        if len(failures) <= p.account_failures or hits(self.known_key, KEEP_KNOWN.total_seconds()):
            return
        wait = backoff(len(failures) - p.account_failures, 1, p.max_delay)
        left = (failures[-1][1] + timedelta(seconds=wait) - utcnow()).total_seconds()
        if left > 0:
            raise too_many(left)

    def failed(self) -> None:
        """A wrong password: it stays counted for the pair and the address, and the account."""
        record([self.account_key])

    def succeeded(self) -> None:
        """The right password: the pair's failures are cleared; the address becomes known."""
        begin_write()
        db.session.execute(delete(RateLimitHit).where(RateLimitHit.key == self.pair_key[:200]))
        db.session.execute(delete(RateLimitHit).where(RateLimitHit.key == self.known_key[:200]))
        db.session.commit()
        record([self.success_key, self.known_key])

    def cancel(self) -> None:
        """The password could not be checked (the server was busy): nothing is counted."""
        forget(self._ids)


def _success_limit(seconds: timedelta) -> TooManyRequests:
    wait = max(1, math.ceil(seconds.total_seconds()))
    return TooManyRequests(
        "This account was signed in to many times in a few minutes. "
        f"Wait {_wait_words(wait)} and try again.",
        wait,
    )
