"""Claim links expire: credential.claim_link_sent_at (when the current link was made).

Existing unclaimed credentials keep NULL: their link counts from issued_at.

Revision ID: d1c7a9e3f215
Revises: 1f362b48efc3
Create Date: 2026-12-04 13:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd1c7a9e3f215'
down_revision = '1f362b48efc3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('credential', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claim_link_sent_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('credential', schema=None) as batch_op:
        batch_op.drop_column('claim_link_sent_at')
