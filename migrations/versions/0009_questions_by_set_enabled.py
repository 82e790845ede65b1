"""an index on questions (set_id, enabled): a set's question count and enabled count read
from the index alone (the review page, My sets)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 04:20:00

"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.create_index("ix_questions_set_id_enabled", ["set_id", "enabled"], unique=False)


def downgrade():
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_index("ix_questions_set_id_enabled")
