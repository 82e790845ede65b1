"""Flashcard settings: a student's desired retention and daily limit of new cards."""

from __future__ import annotations

from dataclasses import dataclass

from ... import scheduling
from ...database import begin_write
from ...extensions import db
from ...models import StudySettings, utcnow
from .. import Invalid

DEFAULT_NEW_PER_DAY = 20
MAX_NEW_PER_DAY = 500


@dataclass(frozen=True)
class Settings:
    desired_retention: float = scheduling.DEFAULT_RETENTION
    new_per_day: int = DEFAULT_NEW_PER_DAY


def settings_for(user_id: int) -> Settings:
    row = db.session.get(StudySettings, user_id)
    if row is None:
        return Settings()
    return Settings(float(row.desired_retention), int(row.new_per_day))


def save_settings(user_id: int, desired_retention: float, new_per_day: int) -> Settings:
    """Store a student's settings. Raises Invalid for a retention outside 0.70–0.99 or a daily
    limit outside 0–500."""
    try:
        retention = scheduling.check_retention(float(desired_retention))
    except (TypeError, ValueError) as exc:
        raise Invalid(str(exc) if isinstance(exc, ValueError) else "Give a number.") from None
    if isinstance(new_per_day, bool) or not isinstance(new_per_day, int):
        raise Invalid("New cards per day is a whole number.")
    if not 0 <= new_per_day <= MAX_NEW_PER_DAY:
        raise Invalid(f"New cards per day is a whole number from 0 to {MAX_NEW_PER_DAY}.")
    begin_write()
    row = db.session.get(StudySettings, user_id)
    if row is None:
        row = StudySettings(user_id=user_id)
        db.session.add(row)
    row.desired_retention = round(retention, 4)
    row.new_per_day = new_per_day
    row.updated_at = utcnow()
    db.session.commit()
    return Settings(row.desired_retention, row.new_per_day)
