"""class results counters, kept by submissions, backfilled from the responses stored so far;
indexes for the lists read a page at a time

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 03:50:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

CHUNK = 1_000


def upgrade():
    op.create_table(
        "question_counters",
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("question_version", sa.Integer(), nullable=False),
        sa.Column("guest", sa.Boolean(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("given", sa.Text(), nullable=False),
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("total_sum", sa.Integer(), nullable=False),
        sa.Column("total_squares", sa.Integer(), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_attempt", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["questions.id"],
            name=op.f("fk_question_counters_question_id_questions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["set_id"],
            ["question_sets.id"],
            name=op.f("fk_question_counters_set_id_question_sets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "question_id",
            "question_version",
            "guest",
            "correct",
            "given",
            name=op.f("pk_question_counters"),
        ),
    )
    with op.batch_alter_table("question_counters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_question_counters_set_id"), ["set_id"], unique=False)
    op.create_table(
        "score_counters",
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("guest", sa.Boolean(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("max_score", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_id"],
            ["question_sets.id"],
            name=op.f("fk_score_counters_set_id_question_sets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "set_id", "guest", "score", "max_score", name=op.f("pk_score_counters")
        ),
    )
    op.create_table(
        "taker_counters",
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("taker", sa.String(length=24), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("guest_name", sa.String(length=80), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("best_percent", sa.Float(), nullable=False),
        sa.Column("last_attempt", sa.Integer(), nullable=False),
        sa.Column("last_score", sa.Integer(), nullable=False),
        sa.Column("last_max_score", sa.Integer(), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_attempt", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_id"],
            ["question_sets.id"],
            name=op.f("fk_taker_counters_set_id_question_sets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_taker_counters_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("set_id", "taker", name=op.f("pk_taker_counters")),
    )
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_attempts_set_id_submitted_at_id", ["set_id", "submitted_at", "id"], unique=False
        )
    with op.batch_alter_table("question_sets", schema=None) as batch_op:
        batch_op.create_index(
            "ix_question_sets_status_source_published_id",
            ["status", "source_published", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_question_sets_owner_id_created_at_id",
            ["owner_id", "created_at", "id"],
            unique=False,
        )
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_questions_set_id_position_id", ["set_id", "position", "id"], unique=False
        )
    _backfill()


def _backfill():
    """Count the graded full quizzes stored so far, as quizapp/services/counters.py does (a
    copy: a migration must not change when the app does)."""
    bind = op.get_bind()
    attempts = sa.table(
        "attempts",
        sa.column("id", sa.Integer),
        sa.column("set_id", sa.Integer),
        sa.column("user_id", sa.Integer),
        sa.column("guest_name", sa.String),
        sa.column("mode", sa.String),
        sa.column("state", sa.String),
        sa.column("max_score", sa.Integer),
        sa.column("submitted_at", sa.DateTime(timezone=True)),
    )
    responses = sa.table(
        "responses",
        sa.column("attempt_id", sa.Integer),
        sa.column("question_id", sa.Integer),
        sa.column("question_version", sa.Integer),
        sa.column("given", sa.Text),
        sa.column("correct", sa.Boolean),
    )
    rows = bind.execute(
        sa.select(
            attempts.c.id,
            attempts.c.set_id,
            attempts.c.user_id,
            attempts.c.guest_name,
            attempts.c.max_score,
            attempts.c.submitted_at,
            responses.c.question_id,
            responses.c.question_version,
            responses.c.given,
            responses.c.correct,
        )
        .select_from(attempts)
        .outerjoin(responses, responses.c.attempt_id == attempts.c.id)
        .where(attempts.c.mode == "quiz", attempts.c.state == "graded")
        .order_by(attempts.c.id)
    )
    questions, scores, takers = {}, {}, {}

    def count(head, answers):
        attempt_id, set_id, user_id, guest_name, max_score, at = head
        guest = user_id is None
        total = sum(1 for a in answers if a[3])
        key = (set_id, guest, total, max_score)
        scores[key] = scores.get(key, 0) + 1
        percent = 100.0 * total / max_score if max_score else 0.0
        taker = (set_id, f"a{attempt_id}" if guest else f"u{user_id}")
        row = takers.get(taker)
        if row is None:
            takers[taker] = {
                "set_id": set_id,
                "taker": taker[1],
                "user_id": user_id,
                "guest_name": guest_name,
                "attempts": 1,
                "best_percent": percent,
                "last_attempt": attempt_id,
                "last_score": total,
                "last_max_score": max_score,
                "last_at": at,
                "first_at": at,
                "first_attempt": attempt_id,
            }
        else:
            row["attempts"] += 1
            row["best_percent"] = max(row["best_percent"], percent)
            if at is not None and (row["last_at"] is None or at >= row["last_at"]):
                row.update(last_attempt=attempt_id, last_score=total, last_max_score=max_score)
                row["last_at"] = at
            if at is not None and (row["first_at"] is None or at < row["first_at"]):
                row["first_at"], row["first_attempt"] = at, attempt_id
        for question_id, version, given, correct in answers:
            key = (question_id, version, guest, bool(correct), given or "")
            row = questions.get(key)
            if row is None:
                row = questions[key] = [set_id, 0, 0, 0, at, attempt_id]
            row[1] += 1
            row[2] += total
            row[3] += total * total
            # attempts come by id; the earliest (submitted_at, id) gave it first
            if at is not None and (row[4] is None or at < row[4]):
                row[4], row[5] = at, attempt_id

    head, answers = None, []
    for row in rows:
        if head is None or row[0] != head[0]:
            if head is not None:
                count(head, answers)
            head, answers = tuple(row[:6]), []
        if row[6] is not None:
            answers.append(tuple(row[6:]))
    if head is not None:
        count(head, answers)
    question_rows = [
        {
            "question_id": question_id,
            "question_version": version,
            "guest": guest,
            "correct": correct,
            "given": given,
            "set_id": set_id,
            "answered": answered,
            "total_sum": total_sum,
            "total_squares": squares,
            "first_at": first_at,
            "first_attempt": first_attempt,
        }
        for (question_id, version, guest, correct, given), (
            set_id,
            answered,
            total_sum,
            squares,
            first_at,
            first_attempt,
        ) in questions.items()
    ]
    score_rows = [
        {"set_id": s, "guest": g, "score": sc, "max_score": m, "attempts": n}
        for (s, g, sc, m), n in scores.items()
    ]
    question_table = sa.table(
        "question_counters",
        sa.column("question_id", sa.Integer),
        sa.column("question_version", sa.Integer),
        sa.column("guest", sa.Boolean),
        sa.column("correct", sa.Boolean),
        sa.column("given", sa.Text),
        sa.column("set_id", sa.Integer),
        sa.column("answered", sa.Integer),
        sa.column("total_sum", sa.Integer),
        sa.column("total_squares", sa.Integer),
        sa.column("first_at", sa.DateTime(timezone=True)),
        sa.column("first_attempt", sa.Integer),
    )
    score_table = sa.table(
        "score_counters",
        sa.column("set_id", sa.Integer),
        sa.column("guest", sa.Boolean),
        sa.column("score", sa.Integer),
        sa.column("max_score", sa.Integer),
        sa.column("attempts", sa.Integer),
    )
    taker_table = sa.table(
        "taker_counters",
        sa.column("set_id", sa.Integer),
        sa.column("taker", sa.String),
        sa.column("user_id", sa.Integer),
        sa.column("guest_name", sa.String),
        sa.column("attempts", sa.Integer),
        sa.column("best_percent", sa.Float),
        sa.column("last_attempt", sa.Integer),
        sa.column("last_score", sa.Integer),
        sa.column("last_max_score", sa.Integer),
        sa.column("last_at", sa.DateTime(timezone=True)),
        sa.column("first_at", sa.DateTime(timezone=True)),
        sa.column("first_attempt", sa.Integer),
    )
    for table, found in (
        (question_table, question_rows),
        (score_table, score_rows),
        (taker_table, list(takers.values())),
    ):
        for start in range(0, len(found), CHUNK):
            bind.execute(sa.insert(table), found[start : start + CHUNK])


def downgrade():
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_index("ix_questions_set_id_position_id")
    with op.batch_alter_table("question_sets", schema=None) as batch_op:
        batch_op.drop_index("ix_question_sets_owner_id_created_at_id")
        batch_op.drop_index("ix_question_sets_status_source_published_id")
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_attempts_set_id_submitted_at_id")
    op.drop_table("taker_counters")
    op.drop_table("score_counters")
    with op.batch_alter_table("question_counters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_question_counters_set_id"))
    op.drop_table("question_counters")
