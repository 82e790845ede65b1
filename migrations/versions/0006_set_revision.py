"""a revision number per question set, bumped by every change to its questions or settings
(the per-process cache of a set's questions is keyed by it)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 03:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("question_sets", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("revision", sa.Integer(), nullable=False, server_default=sa.text("1"))
        )


def downgrade():
    with op.batch_alter_table("question_sets", schema=None) as batch_op:
        batch_op.drop_column("revision")
