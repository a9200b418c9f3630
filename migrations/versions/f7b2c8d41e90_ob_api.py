"""Add ob_client, ob_authorization_code, ob_token, ob_activity: the Open Badges 3.0 API's OAuth 2.0.

Apps registered with RFC 7591 (the hash of the client secret, the metadata),
authorization codes from the learner's consent (hash, PKCE challenge),
access/refresh tokens (hashes, scope, when used, when revoked), and what each
app did with the learner's passport (ob_activity, shown to the learner).

Revision ID: f7b2c8d41e90
Revises: d1c7a9e3f215
Create Date: 2026-12-04 13:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f7b2c8d41e90'
down_revision = 'd1c7a9e3f215'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ob_client',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('client_uri', sa.Text(), nullable=True),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('client_metadata', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ob_client')),
    sa.UniqueConstraint('client_id', name=op.f('uq_ob_client_client_id'))
    )
    op.create_table('ob_authorization_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('redirect_uri', sa.Text(), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('code_challenge', sa.String(length=128), nullable=False),
    sa.Column('code_challenge_method', sa.String(length=10), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['ob_client.id'],
                            name=op.f('fk_ob_authorization_code_client_id_ob_client'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                            name=op.f('fk_ob_authorization_code_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ob_authorization_code')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_ob_authorization_code_code_hash'))
    )
    op.create_table('ob_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('access_hash', sa.String(length=64), nullable=False),
    sa.Column('refresh_hash', sa.String(length=64), nullable=True),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_in', sa.Integer(), nullable=False),
    sa.Column('refresh_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['ob_client.id'],
                            name=op.f('fk_ob_token_client_id_ob_client'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                            name=op.f('fk_ob_token_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ob_token')),
    sa.UniqueConstraint('access_hash', name=op.f('uq_ob_token_access_hash')),
    sa.UniqueConstraint('refresh_hash', name=op.f('uq_ob_token_refresh_hash'))
    )
    op.create_index('ix_ob_token_user_id_client_id', 'ob_token', ['user_id', 'client_id'], unique=False)
    op.create_table('ob_activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('detail', sa.String(length=200), nullable=False),
    sa.Column('times', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['ob_client.id'],
                            name=op.f('fk_ob_activity_client_id_ob_client'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                            name=op.f('fk_ob_activity_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ob_activity'))
    )
    op.create_index('ix_ob_activity_user_id_client_id_at', 'ob_activity', ['user_id', 'client_id', 'at'],
                    unique=False)


def downgrade():
    op.drop_index('ix_ob_activity_user_id_client_id_at', table_name='ob_activity')
    op.drop_table('ob_activity')
    op.drop_index('ix_ob_token_user_id_client_id', table_name='ob_token')
    op.drop_table('ob_token')
    op.drop_table('ob_authorization_code')
    op.drop_table('ob_client')
