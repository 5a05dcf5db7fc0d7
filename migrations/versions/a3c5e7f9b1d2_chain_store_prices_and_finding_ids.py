"""journal: store price changes chained per store, verification findings kept as message ids

Revision ID: a3c5e7f9b1d2
Revises: f8b2d4a6c0e3
Create Date: 2026-11-26 01:00:00

Runs kept before keep their `message` text (Vietnamese) and no findings: the pages show that text as it is.
"""
import sqlalchemy as sa
from alembic import op

revision = 'a3c5e7f9b1d2'
down_revision = 'f8b2d4a6c0e3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_verifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('findings', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('audit_verifications', schema=None) as batch_op:
        batch_op.drop_column('findings')
