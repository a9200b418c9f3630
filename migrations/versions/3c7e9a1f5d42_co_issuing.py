"""Co-issuing with consent: co_issue_request, and employer confirmation of statements.

A credential an issuer wants to issue together with a partner organisation waits,
unsigned, in co_issue_request until the partner accepts (both sign: a proof set)
or declines with a reason. A statement in a recognition application is confirmed
by the employer through a mailed link (confirm_* columns); existing statements stay
unconfirmed and are labelled so.

Revision ID: 3c7e9a1f5d42
Revises: 3d7f0a9c2e15
Create Date: 2026-12-04 12:50:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '3c7e9a1f5d42'
down_revision = '3d7f0a9c2e15'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('co_issue_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('achievement_id', sa.Integer(), nullable=False),
    sa.Column('recipient_email', sa.String(length=254), nullable=False),
    sa.Column('recipient_name', sa.String(length=200), nullable=True),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('assessor', sa.String(length=200), nullable=True),
    sa.Column('valid_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('state', sa.Enum('pending', 'accepted', 'declined', 'issued_alone', 'cancelled',
                               name='coissuestate', native_enum=False, length=32),
              nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('credential_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['achievement_id'], ['achievement.id'],
                            name=op.f('fk_co_issue_request_achievement_id_achievement')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                            name=op.f('fk_co_issue_request_created_by_id_user_account'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['credential_id'], ['credential.id'],
                            name=op.f('fk_co_issue_request_credential_id_credential'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'],
                            name=op.f('fk_co_issue_request_decided_by_id_user_account'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                            name=op.f('fk_co_issue_request_organisation_id_organisation'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['organisation.id'],
                            name=op.f('fk_co_issue_request_partner_id_organisation'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_co_issue_request')),
    sa.UniqueConstraint('uuid', name=op.f('uq_co_issue_request_uuid'))
    )
    with op.batch_alter_table('co_issue_request', schema=None) as batch_op:
        batch_op.create_index('ix_co_issue_request_organisation_id_state',
                              ['organisation_id', 'state'], unique=False)
        batch_op.create_index('ix_co_issue_request_partner_id_state',
                              ['partner_id', 'state'], unique=False)
    with op.batch_alter_table('application_evidence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirm_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('confirm_token_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f('uq_application_evidence_confirm_token_hash'), ['confirm_token_hash'])


def downgrade():
    with op.batch_alter_table('application_evidence', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_application_evidence_confirm_token_hash'),
                                 type_='unique')
        batch_op.drop_column('confirmed_at')
        batch_op.drop_column('confirm_token_hash')
        batch_op.drop_column('confirm_email')
    with op.batch_alter_table('co_issue_request', schema=None) as batch_op:
        batch_op.drop_index('ix_co_issue_request_partner_id_state')
        batch_op.drop_index('ix_co_issue_request_organisation_id_state')
    op.drop_table('co_issue_request')
