"""Add wallet_offer, wallet_nonce, wallet_delivery: OpenID4VCI hand-off to wallets.

An offer is a pre-authorized code (hash) for one credential, with its
transaction code (hash), wrong tries, expiry and the access token it became;
a nonce is a c_nonce a key proof must carry once; a delivery records which
holder key received which credential in which format, and when.

Revision ID: e3a9c1f4b7d2
Revises: 9d4e2a6c1f30
Create Date: 2026-12-04 12:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3a9c1f4b7d2'
down_revision = '9d4e2a6c1f30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('wallet_offer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('credential_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('tx_code_hash', sa.String(length=64), nullable=False),
    sa.Column('failed_tries', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('redeemed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('token_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['credential_id'], ['credential.id'],
                            name=op.f('fk_wallet_offer_credential_id_credential'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                            name=op.f('fk_wallet_offer_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wallet_offer')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_wallet_offer_code_hash')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_wallet_offer_token_hash'))
    )
    with op.batch_alter_table('wallet_offer', schema=None) as batch_op:
        batch_op.create_index('ix_wallet_offer_credential_id', ['credential_id'], unique=False)
    op.create_table('wallet_nonce',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wallet_nonce')),
    sa.UniqueConstraint('value_hash', name=op.f('uq_wallet_nonce_value_hash'))
    )
    op.create_table('wallet_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('credential_id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=True),
    sa.Column('format', sa.String(length=20), nullable=False),
    sa.Column('holder_id', sa.Text(), nullable=False),
    sa.Column('client_id', sa.String(length=200), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['credential_id'], ['credential.id'],
                            name=op.f('fk_wallet_delivery_credential_id_credential'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['offer_id'], ['wallet_offer.id'],
                            name=op.f('fk_wallet_delivery_offer_id_wallet_offer'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                            name=op.f('fk_wallet_delivery_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wallet_delivery'))
    )
    with op.batch_alter_table('wallet_delivery', schema=None) as batch_op:
        batch_op.create_index('ix_wallet_delivery_credential_id', ['credential_id'], unique=False)


def downgrade():
    with op.batch_alter_table('wallet_delivery', schema=None) as batch_op:
        batch_op.drop_index('ix_wallet_delivery_credential_id')
    op.drop_table('wallet_delivery')
    op.drop_table('wallet_nonce')
    with op.batch_alter_table('wallet_offer', schema=None) as batch_op:
        batch_op.drop_index('ix_wallet_offer_credential_id')
    op.drop_table('wallet_offer')
