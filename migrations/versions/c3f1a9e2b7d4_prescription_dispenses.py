"""prescriptions: lookup status, differences, patient CCCD, diagnosis; prescription_dispenses per sale line

Revision ID: c3f1a9e2b7d4
Revises: c7a2e41d9b10
Create Date: 2026-11-22 00:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c3f1a9e2b7d4'
down_revision = 'c7a2e41d9b10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('prescriptions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('patient_cccd', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('diagnosis', sa.String(length=500), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('lookup_status', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('differences', sa.JSON(), nullable=True))
    op.execute("UPDATE prescriptions SET lookup_status = 'unverified' WHERE kind = 'national'")

    op.create_table('prescription_dispenses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prescription_id', sa.Integer(), nullable=False),
    sa.Column('sale_id', sa.Integer(), nullable=False),
    sa.Column('sale_line_id', sa.Integer(), nullable=False),
    sa.Column('prescription_line_id', sa.String(length=50), nullable=True),
    sa.Column('prescribed_code', sa.String(length=50), nullable=True),
    sa.Column('prescribed_name', sa.String(length=500), nullable=False),
    sa.Column('unit_name', sa.String(length=50), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('sold_before', sa.Integer(), nullable=False),
    sa.Column('substitution_reason', sa.String(length=500), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['prescription_id'], ['prescriptions.id'], name=op.f('fk_prescription_dispenses_prescription_id_prescriptions')),
    sa.ForeignKeyConstraint(['sale_id'], ['sales.id'], name=op.f('fk_prescription_dispenses_sale_id_sales')),
    sa.ForeignKeyConstraint(['sale_line_id'], ['sale_lines.id'], name=op.f('fk_prescription_dispenses_sale_line_id_sale_lines')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_prescription_dispenses_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prescription_dispenses')),
    sa.UniqueConstraint('sale_line_id', name=op.f('uq_prescription_dispenses_sale_line_id'))
    )
    with op.batch_alter_table('prescription_dispenses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prescription_dispenses_prescription_id'), ['prescription_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_prescription_dispenses_sale_id'), ['sale_id'], unique=False)


def downgrade():
    with op.batch_alter_table('prescription_dispenses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prescription_dispenses_sale_id'))
        batch_op.drop_index(batch_op.f('ix_prescription_dispenses_prescription_id'))
    op.drop_table('prescription_dispenses')
    with op.batch_alter_table('prescriptions', schema=None) as batch_op:
        batch_op.drop_column('differences')
        batch_op.drop_column('checked_at')
        batch_op.drop_column('lookup_status')
        batch_op.drop_column('diagnosis')
        batch_op.drop_column('patient_cccd')
