"""add the IKM satisfaction survey

Revision ID: e264d728ed1e
Revises: 137a076fe52d (staff accounts)
Create Date: 2026-11-23 19:42:41.483807

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e264d728ed1e'
down_revision = '137a076fe52d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('counter_id', sa.Integer(), nullable=True),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('service_day', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('u1', sa.Integer(), nullable=False),
    sa.Column('u2', sa.Integer(), nullable=False),
    sa.Column('u3', sa.Integer(), nullable=False),
    sa.Column('u4', sa.Integer(), nullable=False),
    sa.Column('u5', sa.Integer(), nullable=False),
    sa.Column('u6', sa.Integer(), nullable=False),
    sa.Column('u7', sa.Integer(), nullable=False),
    sa.Column('u8', sa.Integer(), nullable=False),
    sa.Column('u9', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['counter_id'], ['counters.id'], name=op.f('fk_survey_responses_counter_id_counters')),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id'], name=op.f('fk_survey_responses_officer_id_users')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_survey_responses_service_id_services')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_survey_responses_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses')),
    sa.UniqueConstraint('ticket_id', name=op.f('uq_survey_responses_ticket_id'))
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index('ix_survey_responses_created_at', ['created_at'], unique=False)



def downgrade():
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_responses_created_at')

    op.drop_table('survey_responses')
