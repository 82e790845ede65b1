"""class results counters split into shards (summed on read); the quiz submission limits
counted in one row per key

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 05:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

QUESTION_KEY = ["question_id", "question_version", "guest", "correct", "given"]
SCORE_KEY = ["set_id", "guest", "score", "max_score"]


def upgrade():
    # The rows counted so far become shard 0: every sum over the shards stays what it was.
    for table, key in (("question_counters", QUESTION_KEY), ("score_counters", SCORE_KEY)):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("shard", sa.Integer(), server_default=sa.text("0"), nullable=False)
            )
            batch_op.drop_constraint(f"pk_{table}", type_="primary")
            batch_op.create_primary_key(f"pk_{table}", [*key, "shard"])
    op.create_table(
        "rate_limit_counts",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("bucket", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        *(sa.Column(f"s{i}", sa.Integer(), nullable=False) for i in range(7)),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limit_counts")),
    )
    with op.batch_alter_table("rate_limit_counts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rate_limit_counts_at"), ["at"], unique=False)


def downgrade():
    op.drop_table("rate_limit_counts")
    conn = op.get_bind()
    for table, key in (("question_counters", QUESTION_KEY), ("score_counters", SCORE_KEY)):
        # The shards summed back into one row per key before the shard column goes.
        sums = ["answered", "total_sum", "total_squares"] if table == "question_counters" else []
        sums = sums or ["attempts"]
        keys = ", ".join(key)
        merged = ", ".join(f"SUM({c})" for c in sums)
        rows = conn.execute(
            sa.text(f"SELECT {keys}, {merged} FROM {table} GROUP BY {keys} HAVING COUNT(*) > 1")
        ).all()
        for row in rows:
            where = " AND ".join(f"{c} = :k{i}" for i, c in enumerate(key))
            params = {f"k{i}": v for i, v in enumerate(row[: len(key)])}
            values = {f"v{i}": v for i, v in enumerate(row[len(key) :])}
            sets = ", ".join(f"{c} = :v{i}" for i, c in enumerate(sums))
            first = f"(SELECT MIN(shard) FROM {table} WHERE {where})"
            conn.execute(
                sa.text(f"UPDATE {table} SET {sets} WHERE {where} AND shard = {first}"),
                {**params, **values},
            )
            conn.execute(sa.text(f"DELETE FROM {table} WHERE {where} AND shard <> {first}"), params)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"pk_{table}", type_="primary")
            batch_op.create_primary_key(f"pk_{table}", key)
            batch_op.drop_column("shard")
