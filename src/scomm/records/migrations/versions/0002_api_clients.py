"""api clients and uploads: the HTTP service's callers (token hashes only) and what each sent

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 08:07:59.350301
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_clients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('ori', sa.String(length=9), nullable=True),
    sa.Column('state', sa.String(length=2), nullable=True),
    sa.Column('ice_office', sa.String(length=80), nullable=True),
    sa.Column('token_hash', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_clients')),
    sa.UniqueConstraint('name', name=op.f('uq_api_clients_name'))
    )
    with op.batch_alter_table('api_clients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_clients_ori'), ['ori'], unique=False)

    op.create_table('api_uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['api_clients.id'], name=op.f('fk_api_uploads_client_id_api_clients')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_api_uploads_submission_id_submissions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_uploads'))
    )
    with op.batch_alter_table('api_uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_uploads_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_uploads_submission_id'), ['submission_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('api_uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_uploads_submission_id'))
        batch_op.drop_index(batch_op.f('ix_api_uploads_client_id'))

    op.drop_table('api_uploads')
    with op.batch_alter_table('api_clients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_clients_ori'))

    op.drop_table('api_clients')
