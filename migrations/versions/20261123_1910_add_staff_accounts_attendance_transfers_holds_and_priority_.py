"""add staff accounts, attendance, transfers, holds and priority classes

Revision ID: 137a076fe52d
Revises: b868605c45c3 (kiosks and print jobs)
Create Date: 2026-11-23 19:10:14.964482

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '137a076fe52d'
down_revision = 'b868605c45c3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_users_agency_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('staff_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('counter_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['counter_id'], ['counters.id'], name=op.f('fk_staff_events_counter_id_counters')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_staff_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_events'))
    )
    with op.batch_alter_table('staff_events', schema=None) as batch_op:
        batch_op.create_index('ix_staff_events_at', ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_events_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('counter_services', schema=None) as batch_op:
        batch_op.add_column(sa.Column('weight', sa.Integer(), nullable=False, server_default='1'))

    with op.batch_alter_table('counters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('break_reason', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('officer_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('mode', sa.String(length=16), nullable=False, server_default='fifo'))
        batch_op.create_foreign_key(batch_op.f('fk_counters_officer_id_users'), 'users', ['officer_id'], ['id'])

    with op.batch_alter_table('ticket_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('officer_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_ticket_events_officer_id_users'), 'users', ['officer_id'], ['id'])

    # A ticket keeps the number of the service that issued it, even after a transfer:
    # fill the new column from the current service for tickets issued before this change.
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issued_service_id', sa.Integer(), nullable=True))
    op.execute('UPDATE tickets SET issued_service_id = service_id')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.alter_column('issued_service_id', existing_type=sa.Integer(), nullable=False)
        batch_op.add_column(sa.Column('priority_class', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('target_counter_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('note', sa.Text(), nullable=True))
        batch_op.drop_constraint(batch_op.f('uq_tickets_service_id_service_day_sequence'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_tickets_issued_service_id_service_day_sequence'), ['issued_service_id', 'service_day', 'sequence'])
        batch_op.create_foreign_key(batch_op.f('fk_tickets_issued_service_id_services'), 'services', ['issued_service_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_tickets_target_counter_id_counters'), 'counters', ['target_counter_id'], ['id'])



def downgrade():
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_tickets_target_counter_id_counters'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_tickets_issued_service_id_services'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_tickets_issued_service_id_service_day_sequence'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_tickets_service_id_service_day_sequence'), ['service_id', 'service_day', 'sequence'])
        batch_op.drop_column('note')
        batch_op.drop_column('target_counter_id')
        batch_op.drop_column('priority_class')
        batch_op.drop_column('issued_service_id')

    with op.batch_alter_table('ticket_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_ticket_events_officer_id_users'), type_='foreignkey')
        batch_op.drop_column('officer_id')

    with op.batch_alter_table('counters', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_counters_officer_id_users'), type_='foreignkey')
        batch_op.drop_column('mode')
        batch_op.drop_column('officer_id')
        batch_op.drop_column('break_reason')

    with op.batch_alter_table('counter_services', schema=None) as batch_op:
        batch_op.drop_column('weight')

    with op.batch_alter_table('staff_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_events_user_id'))
        batch_op.drop_index('ix_staff_events_at')

    op.drop_table('staff_events')
    op.drop_table('users')
