"""achievement name, description and criteria, and skill labels, in English (optional)

Revision ID: b4e1d7a2c9f3
Revises: a4c2e8f61b37
Create Date: 2026-12-04 13:45:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'b4e1d7a2c9f3'
down_revision = 'a4c2e8f61b37'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('achievement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_en', sa.String(length=200), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('description_en', sa.Text(), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('criteria_en', sa.Text(), server_default='',
                                      nullable=False))
    with op.batch_alter_table('skill', schema=None) as batch_op:
        batch_op.add_column(sa.Column('label_en', sa.String(length=200), server_default='',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('skill', schema=None) as batch_op:
        batch_op.drop_column('label_en')
    with op.batch_alter_table('achievement', schema=None) as batch_op:
        batch_op.drop_column('criteria_en')
        batch_op.drop_column('description_en')
        batch_op.drop_column('name_en')
