"""pair kiosks and displays with one-time codes and device tokens

An admin registers a device and hands it a one-time pairing code; the device then keeps a long
random token. Only SHA-256 hashes of codes and tokens are stored. Reviewed by hand.

Revision ID: 38272d930456
Revises: e264d728ed1e
Create Date: 2026-11-23 23:36:52.725550

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '38272d930456'
down_revision = 'e264d728ed1e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('device_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_device_tokens_device_id_devices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_device_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_device_tokens_token_hash'))
    )
    with op.batch_alter_table('device_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_device_tokens_device_id'), ['device_id'], unique=False)

    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pairing_code_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('pairing_expires_at', sa.DateTime(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_devices_pairing_code_hash'), ['pairing_code_hash'])



def downgrade():
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_devices_pairing_code_hash'), type_='unique')
        batch_op.drop_column('pairing_expires_at')
        batch_op.drop_column('pairing_code_hash')

    with op.batch_alter_table('device_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_device_tokens_device_id'))

    op.drop_table('device_tokens')
