"""stores, users, and the catalogue with units, barcodes and its search index

Revision ID: 8b19ff0d53ec
Revises: 
Create Date: 2026-11-21

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8b19ff0d53ec'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('national_code', sa.String(length=50), nullable=True),
    sa.Column('v2_drug_id', sa.String(length=20), nullable=True),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('active_ingredient', sa.String(length=500), nullable=False),
    sa.Column('strength', sa.String(length=500), nullable=False),
    sa.Column('dosage_form', sa.String(length=200), nullable=False),
    sa.Column('route', sa.String(length=200), nullable=False),
    sa.Column('registration_no', sa.String(length=50), nullable=False),
    sa.Column('manufacturer', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=100), nullable=False),
    sa.Column('dosage', sa.String(length=500), nullable=False),
    sa.Column('prescription_only', sa.Boolean(), nullable=False),
    sa.Column('special_control_type', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('national_code', name=op.f('uq_products_national_code')),
    sa.UniqueConstraint('v2_drug_id', name=op.f('uq_products_v2_drug_id'))
    )
    op.create_table('stores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=500), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('national_facility_code', sa.String(length=50), nullable=False),
    sa.Column('national_username', sa.String(length=50), nullable=False),
    sa.Column('national_password_encrypted', sa.String(length=500), nullable=True),
    sa.Column('national_api', sa.String(length=10), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stores')),
    sa.UniqueConstraint('code', name=op.f('uq_stores_code'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=50), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('token_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('product_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('factor', sa.Integer(), nullable=False),
    sa.Column('is_base', sa.Boolean(), nullable=False),
    sa.Column('price', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_units_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_units')),
    sa.UniqueConstraint('product_id', 'name', name='uq_product_units_product_name')
    )
    with op.batch_alter_table('product_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_units_product_id'), ['product_id'], unique=False)

    op.create_table('user_stores',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], name=op.f('fk_user_stores_store_id_stores'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_stores_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'store_id', name=op.f('pk_user_stores'))
    )
    op.create_table('barcodes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('internal', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['product_units.id'], name=op.f('fk_barcodes_unit_id_product_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_barcodes')),
    sa.UniqueConstraint('code', name=op.f('uq_barcodes_code'))
    )
    with op.batch_alter_table('barcodes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_barcodes_unit_id'), ['unit_id'], unique=False)
    create_product_search()


def downgrade():
    drop_product_search()
    with op.batch_alter_table('barcodes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_barcodes_unit_id'))

    op.drop_table('barcodes')
    op.drop_table('user_stores')
    with op.batch_alter_table('product_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_units_product_id'))

    op.drop_table('product_units')
    op.drop_table('users')
    op.drop_table('stores')
    op.drop_table('products')


def create_product_search():
    """SQLite: an FTS5 index over the folded search text, kept in step by triggers. PostgreSQL: pg_trgm GIN."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE product_search USING fts5("
            "search_text, content='products', content_rowid='id', tokenize='unicode61', prefix='2 3')"
        )
        op.execute(
            "CREATE TRIGGER products_search_ai AFTER INSERT ON products BEGIN "
            "INSERT INTO product_search(rowid, search_text) VALUES (new.id, new.search_text); END"
        )
        op.execute(
            "CREATE TRIGGER products_search_ad AFTER DELETE ON products BEGIN "
            "INSERT INTO product_search(product_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); END"
        )
        op.execute(
            "CREATE TRIGGER products_search_au AFTER UPDATE OF search_text ON products BEGIN "
            "INSERT INTO product_search(product_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
            "INSERT INTO product_search(rowid, search_text) VALUES (new.id, new.search_text); END"
        )
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_products_search_trgm ON products USING gin (search_text gin_trgm_ops)")


def drop_product_search():
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("products_search_ai", "products_search_ad", "products_search_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS product_search")
    else:
        op.execute("DROP INDEX IF EXISTS ix_products_search_trgm")
