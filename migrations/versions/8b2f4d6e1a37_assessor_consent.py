"""Add assessor_consent: which organisations may name an organisation as assessor.

Any issuer could put any organisation in a credential's ``source`` (assessing
organisation), so a signed credential could claim that, say, an employer
assessed someone without that employer knowing. Until co-issuing exists, the
named organisation's admins list who may name it; issuing accepts only those.
Existing credentials are left as they are.

Revision ID: 8b2f4d6e1a37
Revises: 5e1a7c3b9d20
Create Date: 2026-12-04 10:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8b2f4d6e1a37'
down_revision = '5e1a7c3b9d20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('assessor_consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('allowed_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['allowed_id'], ['organisation.id'],
                            name=op.f('fk_assessor_consent_allowed_id_organisation'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                            name=op.f('fk_assessor_consent_created_by_id_user_account'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                            name=op.f('fk_assessor_consent_organisation_id_organisation'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessor_consent')),
    sa.UniqueConstraint('organisation_id', 'allowed_id',
                        name=op.f('uq_assessor_consent_organisation_id_allowed_id'))
    )
    with op.batch_alter_table('assessor_consent', schema=None) as batch_op:
        batch_op.create_index('ix_assessor_consent_allowed_id', ['allowed_id'], unique=False)


def downgrade():
    with op.batch_alter_table('assessor_consent', schema=None) as batch_op:
        batch_op.drop_index('ix_assessor_consent_allowed_id')
    op.drop_table('assessor_consent')
