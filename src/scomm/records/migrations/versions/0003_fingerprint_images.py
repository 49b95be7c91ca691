"""fingerprint images: the original of every enrolled finger, so galleries can be re-extracted

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 15:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('fingerprint_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gallery', sa.String(length=16), nullable=False),
    sa.Column('subject', sa.String(length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('compression', sa.String(length=8), nullable=False),
    sa.Column('ppi', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('source', sa.String(length=60), nullable=False),
    sa.Column('stored_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fingerprint_images')),
    sa.UniqueConstraint('gallery', 'subject', 'position', name=op.f('uq_fingerprint_images_gallery'))
    )
    with op.batch_alter_table('fingerprint_images', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fingerprint_images_gallery'), ['gallery'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('fingerprint_images', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fingerprint_images_gallery'))
    op.drop_table('fingerprint_images')
