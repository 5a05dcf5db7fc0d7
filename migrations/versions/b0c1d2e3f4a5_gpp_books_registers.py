"""GPP books: quality checks, climate (temperature and humidity) readings, complaints and adverse reactions —
append-only registers (a reversal row names the row it cancels)

Revision ID: b0c1d2e3f4a5
Revises: e1c5a7b3d9f2
Create Date: 2026-11-25 21:32:43.807864

"""
import sqlalchemy as sa
from alembic import op

revision = 'b0c1d2e3f4a5'
down_revision = 'e1c5a7b3d9f2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('climate_readings',
    sa.Column('area', sa.String(length=100), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('temperature', sa.Numeric(precision=4, scale=1), nullable=False),
    sa.Column('humidity', sa.Numeric(precision=4, scale=1), nullable=False),
    sa.Column('device', sa.String(length=100), nullable=False),
    sa.Column('corrective_note', sa.String(length=500), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('entry_date', sa.Date(), nullable=False),
    sa.Column('reversal_reason', sa.String(length=500), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['reverses_id'], ['climate_readings.id'],
                            name=op.f('fk_climate_readings_reverses_id_climate_readings')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_climate_readings_store_id_stores')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_climate_readings_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_climate_readings')),
    sa.UniqueConstraint('reverses_id', name=op.f('uq_climate_readings_reverses_id'))
    )
    with op.batch_alter_table('climate_readings', schema=None) as batch_op:
        batch_op.create_index('ix_climate_readings_store_date', ['store_id', 'entry_date'], unique=False)

    op.create_table('customer_reports',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('customer_name', sa.String(length=200), nullable=False),
    sa.Column('customer_phone', sa.String(length=20), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('lot', sa.String(length=50), nullable=False),
    sa.Column('description', sa.String(length=2000), nullable=False),
    sa.Column('handling', sa.String(length=2000), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('entry_date', sa.Date(), nullable=False),
    sa.Column('reversal_reason', sa.String(length=500), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_customer_reports_product_id_products')),
    sa.ForeignKeyConstraint(['reverses_id'], ['customer_reports.id'],
                            name=op.f('fk_customer_reports_reverses_id_customer_reports')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_customer_reports_store_id_stores')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_customer_reports_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_reports')),
    sa.UniqueConstraint('reverses_id', name=op.f('uq_customer_reports_reverses_id'))
    )
    with op.batch_alter_table('customer_reports', schema=None) as batch_op:
        batch_op.create_index('ix_customer_reports_store_kind_date', ['store_id', 'kind', 'entry_date'], unique=False)

    op.create_table('quality_checks',
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('lot', sa.String(length=50), nullable=False),
    sa.Column('expiry', sa.Date(), nullable=False),
    sa.Column('unit', sa.String(length=50), nullable=False),
    sa.Column('quantity_checked', sa.Integer(), nullable=False),
    sa.Column('sensory', sa.String(length=500), nullable=False),
    sa.Column('conclusion', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('action', sa.String(length=500), nullable=False),
    sa.Column('quarantined', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('entry_date', sa.Date(), nullable=False),
    sa.Column('reversal_reason', sa.String(length=500), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_quality_checks_product_id_products')),
    sa.ForeignKeyConstraint(['reverses_id'], ['quality_checks.id'],
                            name=op.f('fk_quality_checks_reverses_id_quality_checks')),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_quality_checks_store_id_stores')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_quality_checks_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_checks')),
    sa.UniqueConstraint('reverses_id', name=op.f('uq_quality_checks_reverses_id'))
    )
    with op.batch_alter_table('quality_checks', schema=None) as batch_op:
        batch_op.create_index('ix_quality_checks_store_date', ['store_id', 'entry_date'], unique=False)



def downgrade():
    with op.batch_alter_table('quality_checks', schema=None) as batch_op:
        batch_op.drop_index('ix_quality_checks_store_date')

    op.drop_table('quality_checks')
    with op.batch_alter_table('customer_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_customer_reports_store_kind_date')

    op.drop_table('customer_reports')
    with op.batch_alter_table('climate_readings', schema=None) as batch_op:
        batch_op.drop_index('ix_climate_readings_store_date')

    op.drop_table('climate_readings')
