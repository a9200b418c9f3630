"""Add vc_api_credential: the status-list positions of credentials signed via the VC-API.

The VC-API signs any VC 2.0 credential for an organisation and gives it a revocation and a
suspension entry, so the organisation can later change its status
(``POST /vc-api/issuers/<slug>/credentials/status``). Only the credential's id and its two
positions are kept, not the credential. An Open Badge has no suspension
entry (OB 3.0 allows one credentialStatus object), so those columns may be empty. Downgrade drops the table.

Revision ID: 5b9e1d7c3a20
Revises: 7a1e3c9d5b20
Create Date: 2026-12-04 10:25:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b9e1d7c3a20'
down_revision = '7a1e3c9d5b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'vc_api_credential',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('credential_id', sa.String(length=500), nullable=False),
        sa.Column('revocation_list_id', sa.Integer(), nullable=False),
        sa.Column('revocation_index', sa.Integer(), nullable=False),
        sa.Column('suspension_list_id', sa.Integer(), nullable=True),
        sa.Column('suspension_index', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=op.f('fk_vc_api_credential_organisation_id_organisation')),
        sa.ForeignKeyConstraint(['revocation_list_id'], ['status_list.id'],
                                name=op.f('fk_vc_api_credential_revocation_list_id_status_list')),
        sa.ForeignKeyConstraint(['suspension_list_id'], ['status_list.id'],
                                name=op.f('fk_vc_api_credential_suspension_list_id_status_list')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_vc_api_credential')),
    )
    op.create_index('ix_vc_api_credential_org_id', 'vc_api_credential',
                    ['organisation_id', 'credential_id'], unique=False)


def downgrade():
    op.drop_index('ix_vc_api_credential_org_id', table_name='vc_api_credential')
    op.drop_table('vc_api_credential')
