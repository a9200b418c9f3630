"""Drop columns nothing reads: credential.imported and organisation.logo, logo_mime.

credential.imported was never set to true (a learner's own badges live in
imported_credential), so every query filtered on a constant; the organisation logo
was never uploaded nor shown (badge images come from the achievement or the
organisation's colour). Downgrade adds the columns back empty.

Revision ID: c4c5d7a2037f
Revises: 04518b1f1d53
Create Date: 2026-12-04 09:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4c5d7a2037f'
down_revision = '04518b1f1d53'
branch_labels = None
depends_on = None


def upgrade():
    # batch: SQLite drops a column by copying the table
    with op.batch_alter_table('credential', schema=None) as batch_op:
        batch_op.drop_column('imported')

    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('logo_mime')
        batch_op.drop_column('logo')


def downgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('logo', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('logo_mime', sa.String(length=40), nullable=True))

    # existing rows need a value for the NOT NULL column; the default goes once they have one
    with op.batch_alter_table('credential', schema=None) as batch_op:
        batch_op.add_column(sa.Column('imported', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('credential', schema=None) as batch_op:
        batch_op.alter_column('imported', server_default=None)
