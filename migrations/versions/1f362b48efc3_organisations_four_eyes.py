"""Organisations made without SQL (sign-up requests, sub-units, archiving) and four-eyes awards.

Adds organisation_request (self sign-up waiting for the platform admin), pending_award (an award
or bulk job that waits for a second person), achievement.four_eyes (None: the kind decides),
credential.api_token_id and bulk_job.api_token_id (the token: an account for the award limits)
and organisation columns: short name, logo, how BRIN/KvK were checked, archived_at and the
award limits per issuer account. Downgrade drops them.

Revision ID: 1f362b48efc3
Revises: 9c3d5e7f1a42
Create Date: 2026-12-04 12:31:25.186471

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1f362b48efc3'
down_revision = '9c3d5e7f1a42'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organisation_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('college', 'employer', 'branch', 'community', 'municipality', 'training_provider', name='organisationkind', native_enum=False, length=32), nullable=False),
    sa.Column('brin', sa.String(length=8), nullable=True),
    sa.Column('kvk', sa.String(length=8), nullable=True),
    sa.Column('website', sa.String(length=500), nullable=True),
    sa.Column('city', sa.String(length=120), nullable=True),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('state', sa.Enum('pending', 'approved', 'declined', name='requeststate', native_enum=False, length=32), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_organisation_request_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_organisation_request_organisation_id_organisation'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_request'))
    )
    with op.batch_alter_table('organisation_request', schema=None) as batch_op:
        batch_op.create_index('ix_organisation_request_state', ['state'], unique=False)

    op.create_table('pending_award',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('achievement_id', sa.Integer(), nullable=True),
    sa.Column('bulk_job_id', sa.Integer(), nullable=True),
    sa.Column('request', sa.JSON(), nullable=False),
    sa.Column('recipient_email', sa.String(length=254), nullable=True),
    sa.Column('dedup_key', sa.String(length=64), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('api_token_id', sa.Integer(), nullable=True),
    sa.Column('via', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Enum('four_eyes', 'threshold', name='holdreason', native_enum=False, length=32), nullable=False),
    sa.Column('state', sa.Enum('waiting', 'approved', 'rejected', name='awardstate', native_enum=False, length=32), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=False),
    sa.Column('credential_uuid', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['achievement_id'], ['achievement.id'], name=op.f('fk_pending_award_achievement_id_achievement')),
    sa.ForeignKeyConstraint(['api_token_id'], ['api_token.id'], name=op.f('fk_pending_award_api_token_id_api_token'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['bulk_job_id'], ['bulk_job.id'], name=op.f('fk_pending_award_bulk_job_id_bulk_job'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_pending_award_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_pending_award_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_pending_award_requested_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_award')),
    sa.UniqueConstraint('uuid', name=op.f('uq_pending_award_uuid'))
    )
    with op.batch_alter_table('pending_award', schema=None) as batch_op:
        batch_op.create_index('ix_pending_award_organisation_id_state', ['organisation_id', 'state'], unique=False)

    with op.batch_alter_table('achievement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('four_eyes', sa.Boolean(), nullable=True))

    # the API token that issued a credential: a token is an account for the award limits
    with op.batch_alter_table('credential', schema=None) as batch_op:
        batch_op.add_column(sa.Column('api_token_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_credential_api_token_id_api_token'), 'api_token', ['api_token_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('bulk_job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('api_token_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_bulk_job_api_token_id_api_token'), 'api_token', ['api_token_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verification_note', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('short_name', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('logo', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('logo_mime', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('award_limit_hour', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('award_limit_day', sa.Integer(), nullable=True))



def downgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('award_limit_day')
        batch_op.drop_column('award_limit_hour')
        batch_op.drop_column('archived_at')
        batch_op.drop_column('logo_mime')
        batch_op.drop_column('logo')
        batch_op.drop_column('short_name')
        batch_op.drop_column('verification_note')

    with op.batch_alter_table('bulk_job', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_bulk_job_api_token_id_api_token'), type_='foreignkey')
        batch_op.drop_column('api_token_id')

    with op.batch_alter_table('credential', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_credential_api_token_id_api_token'), type_='foreignkey')
        batch_op.drop_column('api_token_id')

    with op.batch_alter_table('achievement', schema=None) as batch_op:
        batch_op.drop_column('four_eyes')

    with op.batch_alter_table('pending_award', schema=None) as batch_op:
        batch_op.drop_index('ix_pending_award_organisation_id_state')

    op.drop_table('pending_award')
    with op.batch_alter_table('organisation_request', schema=None) as batch_op:
        batch_op.drop_index('ix_organisation_request_state')

    op.drop_table('organisation_request')
