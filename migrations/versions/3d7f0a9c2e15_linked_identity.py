"""Add linked_identity and membership_rule: sign-in with OpenID Connect.

linked_identity: accounts at an OpenID Provider (eduID, SURFconext) that sign in to a user, one
row per (provider, subject); deleting the user deletes its identities. membership_rule: an
email domain or schac_home_organization that makes staff who sign in with it members of an
organisation, once a platform admin approved it. Downgrade drops both tables.

Revision ID: 3d7f0a9c2e15
Revises: 9d3f1b7e2c40
Create Date: 2026-12-04 12:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3d7f0a9c2e15'
down_revision = '9d3f1b7e2c40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'linked_identity',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('provider', sa.String(length=40), nullable=False),
        sa.Column('subject', sa.String(length=255), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=True),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_linked_identity_user_id_user_account'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_linked_identity')),
        sa.UniqueConstraint('provider', 'subject', name=op.f('uq_linked_identity_provider_subject')),
    )
    op.create_index('ix_linked_identity_user_id', 'linked_identity', ['user_id'], unique=False)
    op.create_table(
        'membership_rule',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('email_domain', 'schac_home_organization', name='rulekind',
                                  native_enum=False, length=32), nullable=False),
        sa.Column('value', sa.String(length=200), nullable=False),
        sa.Column('role', sa.Enum('admin', 'issuer', 'viewer', name='role', native_enum=False,
                                  length=32), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('approved_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['approved_by_id'], ['user_account.id'],
                                name=op.f('fk_membership_rule_approved_by_id_user_account'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                                name=op.f('fk_membership_rule_created_by_id_user_account'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=op.f('fk_membership_rule_organisation_id_organisation'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_rule')),
        sa.UniqueConstraint('organisation_id', 'kind', 'value',
                            name=op.f('uq_membership_rule_organisation_id_kind_value')),
    )
    op.create_index('ix_membership_rule_kind_value', 'membership_rule', ['kind', 'value'],
                    unique=False)


def downgrade():
    op.drop_index('ix_membership_rule_kind_value', table_name='membership_rule')
    op.drop_table('membership_rule')
    op.drop_index('ix_linked_identity_user_id', table_name='linked_identity')
    op.drop_table('linked_identity')
