"""Idempotency keys of document requests; the e-prescription answer cache; one prescription per store and code

Revision ID: d4e8f2a6c190
Revises: c3f1a9e2b7d4
Create Date: 2026-11-25 18:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4e8f2a6c190'
down_revision = 'c3f1a9e2b7d4'
branch_labels = None
depends_on = None

# Twins of (store, national code) made by a lookup race before the constraint: sales and dispenses move to the
# oldest record, the others go.
MERGE_TWINS = [
    """UPDATE {table} SET prescription_id = (
           SELECT MIN(p2.id) FROM prescriptions p1 JOIN prescriptions p2
             ON p2.store_id = p1.store_id AND p2.national_code = p1.national_code
           WHERE p1.id = {table}.prescription_id)
       WHERE prescription_id IN (
           SELECT p.id FROM prescriptions p WHERE p.national_code IS NOT NULL AND p.id > (
               SELECT MIN(q.id) FROM prescriptions q
               WHERE q.store_id = p.store_id AND q.national_code = p.national_code))""",
]
DELETE_TWINS = """DELETE FROM prescriptions WHERE national_code IS NOT NULL AND id > (
    SELECT MIN(q.id) FROM prescriptions q
    WHERE q.store_id = prescriptions.store_id AND q.national_code = prescriptions.national_code)"""


def upgrade():
    op.create_table('idempotency_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('document_type', sa.String(length=50), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_idempotency_keys_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_keys')),
    sa.UniqueConstraint('user_id', 'key', name='uq_idempotency_keys_user_key')
    )
    op.create_table('national_prescription_answers',
    sa.Column('national_code', sa.String(length=50), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('national_code', name=op.f('pk_national_prescription_answers'))
    )
    for table in ('sales', 'prescription_dispenses'):
        op.execute(MERGE_TWINS[0].format(table=table))
    op.execute(DELETE_TWINS)
    with op.batch_alter_table('prescriptions', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_prescriptions_store_id_national_code', ['store_id', 'national_code'])


def downgrade():
    with op.batch_alter_table('prescriptions', schema=None) as batch_op:
        batch_op.drop_constraint('uq_prescriptions_store_id_national_code', type_='unique')
    op.drop_table('national_prescription_answers')
    op.drop_table('idempotency_keys')
