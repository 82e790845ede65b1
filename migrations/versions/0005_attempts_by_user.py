"""an index for a student's graded attempts, newest first (My results, paged)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 02:35:00

"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_attempts_user_state_submitted", ["user_id", "state", "submitted_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_attempts_user_state_submitted")
