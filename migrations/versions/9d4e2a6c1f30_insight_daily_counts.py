"""Add daily_count: the rollups the insight dashboards read (one row per organisation ×
achievement × day, week or month × metric). Downgrade drops the table.

Revision ID: 9d4e2a6c1f30
Revises: 5b9e1d7c3a20
Create Date: 2026-12-04 12:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


revision = '9d4e2a6c1f30'
down_revision = '5b9e1d7c3a20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'daily_count',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('achievement_id', sa.Integer(), nullable=False),
        sa.Column('grain', sa.String(length=1), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('metric', sa.String(length=16), nullable=False),
        sa.Column('count', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['achievement_id'], ['achievement.id'],
                                name=op.f('fk_daily_count_achievement_id_achievement'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=op.f('fk_daily_count_organisation_id_organisation'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_daily_count')),
        sa.UniqueConstraint('organisation_id', 'achievement_id', 'grain', 'day', 'metric',
                            name='uq_daily_count_key'),
    )
    op.create_index('ix_daily_count_org_grain_day', 'daily_count', ['organisation_id', 'grain', 'day'],
                    unique=False)


def downgrade():
    op.drop_index('ix_daily_count_org_grain_day', table_name='daily_count')
    op.drop_table('daily_count')
