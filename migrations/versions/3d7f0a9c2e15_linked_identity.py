"""Add linked_identity: accounts at an OpenID Provider (eduID, SURFconext) that sign in to a user.

One row per (provider, subject); deleting the user deletes its identities. Downgrade drops the
table.

Revision ID: 3d7f0a9c2e15
Revises: 5b9e1d7c3a20
Create Date: 2026-12-04 12:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3d7f0a9c2e15'
down_revision = '5b9e1d7c3a20'
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


def downgrade():
    op.drop_index('ix_linked_identity_user_id', table_name='linked_identity')
    op.drop_table('linked_identity')
