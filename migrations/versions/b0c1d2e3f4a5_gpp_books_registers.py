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

def _tables() -> dict:
    """table -> (its own columns, the index on store and date); new Column objects on every call."""
    return {
        'climate_readings': ([
            sa.Column('area', sa.String(length=100), nullable=False),
            sa.Column('read_at', sa.DateTime(timezone=True), nullable=False),
            sa.Column('temperature', sa.Numeric(precision=4, scale=1), nullable=False),
            sa.Column('humidity', sa.Numeric(precision=4, scale=1), nullable=False),
            sa.Column('device', sa.String(length=100), nullable=False),
            sa.Column('corrective_note', sa.String(length=500), nullable=False),
            sa.Column('source', sa.String(length=20), nullable=False),
        ], ('ix_climate_readings_store_date', ['store_id', 'entry_date'])),
        'customer_reports': ([
            sa.Column('kind', sa.String(length=20), nullable=False),
            sa.Column('customer_name', sa.String(length=200), nullable=False),
            sa.Column('customer_phone', sa.String(length=20), nullable=False),
            sa.Column('product_id', sa.Integer(), nullable=True),
            sa.Column('lot', sa.String(length=50), nullable=False),
            sa.Column('description', sa.String(length=2000), nullable=False),
            sa.Column('handling', sa.String(length=2000), nullable=False),
            sa.ForeignKeyConstraint(['product_id'], ['products.id'],
                                    name=op.f('fk_customer_reports_product_id_products')),
        ], ('ix_customer_reports_store_kind_date', ['store_id', 'kind', 'entry_date'])),
        'quality_checks': ([
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
            sa.ForeignKeyConstraint(['product_id'], ['products.id'],
                                    name=op.f('fk_quality_checks_product_id_products')),
        ], ('ix_quality_checks_store_date', ['store_id', 'entry_date'])),
    }


def _entry_columns(table: str) -> list:
    """The columns every register row has (pharmacy/books/models.py `Entry`)."""
    return [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('store_id', sa.Integer(), nullable=False),
        sa.Column('entry_date', sa.Date(), nullable=False),
        sa.Column('reversal_reason', sa.String(length=500), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('reverses_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['reverses_id'], [f'{table}.id'], name=op.f(f'fk_{table}_reverses_id_{table}')),
        sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f(f'fk_{table}_store_id_stores')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f(f'fk_{table}_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
        sa.UniqueConstraint('reverses_id', name=op.f(f'uq_{table}_reverses_id')),
    ]


def upgrade():
    for table, (columns, (index, indexed)) in _tables().items():
        op.create_table(table, *columns, *_entry_columns(table))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(index, indexed, unique=False)


def downgrade():
    for table, (_columns, (index, _indexed)) in reversed(_tables().items()):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(index)
        op.drop_table(table)
