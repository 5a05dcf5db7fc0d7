"""journal: store price changes chained per store, verification findings kept as message ids

Revision ID: c7e9a1b3d5f2
Revises: a3c5e7f9b1d2
Create Date: 2026-11-26 01:00:00

Runs kept before keep their `message` text (Vietnamese) and no findings: the pages show that text as it is.
Price changes no longer go with a unit removed from its product (a false "deleted" otherwise).
Each store price already set gets a first change recorded (no previous price, no user, at its last update, not in
the chain): from then on a price that differs from its last change, or has none, is found by the verification.
"""
import sqlalchemy as sa
from alembic import op

revision = 'c7e9a1b3d5f2'
down_revision = 'a3c5e7f9b1d2'
branch_labels = None
depends_on = None


def upgrade():
    # A price change is history: removing a unit from a product must not delete its chained documents.
    with op.batch_alter_table('price_changes', schema=None) as batch_op:
        batch_op.drop_constraint('fk_price_changes_product_unit_id_product_units', type_='foreignkey')
    with op.batch_alter_table('audit_verifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('findings', sa.JSON(), nullable=True))
    op.create_table('store_price_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.Column('product_unit_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('unit_name', sa.String(length=50), nullable=False),
    sa.Column('old_price', sa.BigInteger(), nullable=True),
    sa.Column('new_price', sa.BigInteger(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_store_price_changes_store_id_stores')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_store_price_changes'))
    )
    with op.batch_alter_table('store_price_changes', schema=None) as batch_op:
        batch_op.create_index('ix_store_price_changes_store_unit', ['store_id', 'product_unit_id'], unique=False)
    op.execute("INSERT INTO store_price_changes (store_id, product_unit_id, product_id, unit_name, old_price, "
               "new_price, user_id, created_at) SELECT sp.store_id, sp.product_unit_id, pu.product_id, pu.name, "
               "NULL, sp.price, NULL, sp.updated_at FROM store_prices sp JOIN product_units pu ON "
               "pu.id = sp.product_unit_id ORDER BY sp.store_id, sp.product_unit_id")


def downgrade():
    op.drop_table('store_price_changes')
    with op.batch_alter_table('audit_verifications', schema=None) as batch_op:
        batch_op.drop_column('findings')
    op.execute("DELETE FROM price_changes WHERE product_unit_id NOT IN (SELECT id FROM product_units)")
    with op.batch_alter_table('price_changes', schema=None) as batch_op:
        batch_op.create_foreign_key('fk_price_changes_product_unit_id_product_units', 'product_units',
                                    ['product_unit_id'], ['id'], ondelete='CASCADE')
