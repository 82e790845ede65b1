"""one set per article and owner: unique (owner_id, source_sha256) on question_sets

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 23:50:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("question_sets", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_question_sets_owner_id_source_sha256"), ["owner_id", "source_sha256"]
        )


def downgrade():
    with op.batch_alter_table("question_sets", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_question_sets_owner_id_source_sha256"), type_="unique"
        )
