"""who may see a set's keys before taking it, sign-in required, the generator's stored findings

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 00:30:00

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import false

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("question_sets", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "study_access",
                sa.String(length=16),
                nullable=False,
                server_default="after_attempt",
            )
        )
        batch_op.add_column(
            sa.Column("require_signin", sa.Boolean(), nullable=False, server_default=false())
        )
        batch_op.add_column(sa.Column("findings", sa.JSON(), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f("ck_question_sets_study_access"),
            "study_access IN ('study_aid', 'after_attempt', 'teacher_only')",
        )


def downgrade():
    with op.batch_alter_table("question_sets", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_question_sets_study_access"), type_="check")
        batch_op.drop_column("findings")
        batch_op.drop_column("require_signin")
        batch_op.drop_column("study_access")
