"""index the heads of each queue and the tickets sent to a counter

Call-next reads the first waiting ticket of each service and priority class, and the first one
sent to the counter by name; with these indexes each is one index entry, however many tickets
wait or were ever issued. Reviewed by hand.

Revision ID: 5b1f0c2e9a41
Revises: 38272d930456
Create Date: 2026-12-02 18:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5b1f0c2e9a41'
down_revision = '38272d930456'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.create_index(
            'ix_tickets_heads',
            ['service_id', 'service_day', 'status', 'priority', 'arrived_at', 'id'],
            unique=False,
        )
        batch_op.create_index(
            'ix_tickets_sent_to_counter',
            ['target_counter_id', 'service_day', 'status', 'arrived_at', 'id'],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_sent_to_counter')
        batch_op.drop_index('ix_tickets_heads')
