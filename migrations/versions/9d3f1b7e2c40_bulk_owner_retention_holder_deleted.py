"""Bulk jobs: owner and heartbeat (resume an interrupted inline job), purged_at
(personal cells erased after the retention period); credentials: holder_deleted_at
(the learner deleted their account, so the credential is no longer served publicly);
retired_share_token: share links of deleted accounts answer 410 Gone (token hashes only).

Revision ID: 9d3f1b7e2c40
Revises: c884594104e5
Create Date: 2026-12-04 12:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9d3f1b7e2c40'
down_revision = 'c884594104e5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('retired_share_token',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_retired_share_token'))
    )
    with op.batch_alter_table('bulk_job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('credential', schema=None) as batch_op:
        batch_op.add_column(sa.Column('holder_deleted_at', sa.DateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('credential', schema=None) as batch_op:
        batch_op.drop_column('holder_deleted_at')
    with op.batch_alter_table('bulk_job', schema=None) as batch_op:
        batch_op.drop_column('purged_at')
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('owner')
    op.drop_table('retired_share_token')
