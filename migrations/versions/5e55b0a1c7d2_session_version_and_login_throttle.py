"""Sessions that end, and slowing down guessing instead of locking accounts.

user_account.session_version is part of every session and remember cookie;
raising it ("log out everywhere", a new password) ends them all, copies too.
Existing rows start at 1 (cookies issued before this revision carry no version
and log out once).

Five wrong passwords used to lock an account for 15 minutes, which anyone could
repeat to keep its owner out; user_account.failed_logins and locked_until go.
login_throttle counts failures per typed email *and* source address and makes
only that source wait (2, 4, 8 ... seconds, at most 15 minutes). Downgrade
adds the old columns back empty (no account locked).

Revision ID: 5e55b0a1c7d2
Revises: 8b2f4d6e1a37
Create Date: 2026-12-04 10:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e55b0a1c7d2'
down_revision = '8b2f4d6e1a37'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_throttle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('wait_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_throttle')),
    sa.UniqueConstraint('email', 'source', name=op.f('uq_login_throttle_email_source'))
    )
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.create_index('ix_login_throttle_last_failure_at', ['last_failure_at'], unique=False)

    # existing rows need a value for the NOT NULL column; the default goes once they have one
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False,
                                      server_default='1'))
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('session_version', server_default=None)


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_column('session_version')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('failed_logins', server_default=None)

    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.drop_index('ix_login_throttle_last_failure_at')

    op.drop_table('login_throttle')
