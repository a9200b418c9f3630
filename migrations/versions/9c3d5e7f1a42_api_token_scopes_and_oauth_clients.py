"""API token scopes and expiry, OAuth clients, and a non-person actor in the audit log (#15.12).

``api_token`` gets ``scopes`` (space-separated; tokens that exist keep every scope:
issue revoke bulk read), an optional ``expires_at`` and ``oauth_client_id`` (set on the
short-lived access tokens an OAuth client gets). ``oauth_client`` holds an organisation's
OAuth 2.0 clients (client credentials grant; only the secret's hash). ``audit_event`` gets
``actor_label`` naming the token or client that acted. Downgrade drops them.

Revision ID: 9c3d5e7f1a42
Revises: 3c7e9a1f5d42
Create Date: 2026-12-04 12:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9c3d5e7f1a42'
down_revision = '3c7e9a1f5d42'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'oauth_client',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('client_id', sa.String(length=40), nullable=False),
        sa.Column('secret_hash', sa.String(length=64), nullable=False),
        sa.Column('scopes', sa.String(length=60), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=op.f('fk_oauth_client_organisation_id_organisation'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_oauth_client')),
        sa.UniqueConstraint('client_id', name=op.f('uq_oauth_client_client_id')),
    )
    with op.batch_alter_table('oauth_client', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oauth_client_organisation_id'), ['organisation_id'],
                              unique=False)

    # existing tokens keep every scope; the default goes once they have it
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scopes', sa.String(length=60), nullable=False,
                                      server_default='issue revoke bulk read'))
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('oauth_client_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_api_token_oauth_client_id'), ['oauth_client_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_api_token_oauth_client_id_oauth_client'),
                                    'oauth_client', ['oauth_client_id'], ['id'],
                                    ondelete='CASCADE')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.alter_column('scopes', server_default=None)

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actor_label', sa.String(length=160), nullable=True))


def downgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('actor_label')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_api_token_oauth_client_id_oauth_client'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_api_token_oauth_client_id'))
        batch_op.drop_column('oauth_client_id')
        batch_op.drop_column('expires_at')
        batch_op.drop_column('scopes')
    with op.batch_alter_table('oauth_client', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oauth_client_organisation_id'))
    op.drop_table('oauth_client')
