"""retention purges of ledger documents: the purge record (archives' SHA-256) and the chain ranges it archived

Revision ID: a3c5e7f9b1d2
Revises: f8b2d4a6c0e3
Create Date: 2026-11-26 01:00:00

The carry-forward of a purge is ordinary `movements` / `controlled_entries` rows of kind `opening` (document type
`purge`), so no stock figure needs a new table to stay equal to the sum of its ledger.
"""
import sqlalchemy as sa
from alembic import op

revision = 'a3c5e7f9b1d2'
down_revision = 'f8b2d4a6c0e3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('purges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('before', sa.Date(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('documents', sa.Integer(), nullable=False),
    sa.Column('archives', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_purges_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purges'))
    )
    op.create_index(op.f('ix_purges_before'), 'purges', ['before'], unique=False)
    op.create_table('purged_ranges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('purge_id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('seq_from', sa.Integer(), nullable=False),
    sa.Column('seq_to', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['purge_id'], ['purges.id'], name=op.f('fk_purged_ranges_purge_id_purges')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purged_ranges'))
    )
    op.create_index(op.f('ix_purged_ranges_purge_id'), 'purged_ranges', ['purge_id'], unique=False)
    op.create_index('ix_purged_ranges_store_seq', 'purged_ranges', ['store_id', 'seq_from'], unique=False)


def downgrade():
    op.drop_index('ix_purged_ranges_store_seq', table_name='purged_ranges')
    op.drop_index(op.f('ix_purged_ranges_purge_id'), table_name='purged_ranges')
    op.drop_table('purged_ranges')
    op.drop_index(op.f('ix_purges_before'), table_name='purges')
    op.drop_table('purges')
