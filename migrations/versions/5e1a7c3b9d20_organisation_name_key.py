"""Add organisation.name_key: the name without case, accents, punctuation or spaces.

The verifier compares the issuer name a credential gives with the organisations
here, to catch a self-made key that calls itself "ROC De Maasvallei" (an
impersonation, never to be shown as valid). Existing rows get their key now,
with the same rule as badges.organisations.names.name_key (copied, so this
revision keeps working whatever that module becomes).

Revision ID: 5e1a7c3b9d20
Revises: c4c5d7a2037f
Create Date: 2026-12-04 09:50:00.000000

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e1a7c3b9d20'
down_revision = 'c4c5d7a2037f'
branch_labels = None
depends_on = None


def _name_key(name):
    decomposed = unicodedata.normalize("NFKD", name or "")
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())[:200]


def upgrade():
    # existing rows need a value for the NOT NULL column; the default goes once they have one
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=200), nullable=False,
                                      server_default=''))
    organisation = sa.table('organisation', sa.column('id', sa.Integer),
                            sa.column('name', sa.String), sa.column('name_key', sa.String))
    connection = op.get_bind()
    for row_id, name in connection.execute(sa.select(organisation.c.id, organisation.c.name)):
        connection.execute(organisation.update().where(organisation.c.id == row_id)
                           .values(name_key=_name_key(name)))
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.alter_column('name_key', server_default=None)
        batch_op.create_index('ix_organisation_name_key', ['name_key'], unique=False)


def downgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_index('ix_organisation_name_key')
        batch_op.drop_column('name_key')
