"""Seeded skills point to ESCO concepts of the current release (v1.2).

Four ESCO concepts the seed list pointed to are not in ESCO v1.2.0; stored seeded rows still
holding one get the current concept that means the same (badges/catalogue/skills_seed.py says
how each was established). Credentials signed before keep what they say; only new ones carry
the current concept. No schema change.

Revision ID: c3e5a7b9d1f2
Revises: b4e1d7a2c9f3
Create Date: 2026-12-04 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3e5a7b9d1f2'
down_revision = 'b4e1d7a2c9f3'
branch_labels = None
depends_on = None

ESCO = "http://data.europa.eu/esco/skill/"
# (label, the concept no longer in ESCO v1.2, the current concept)
MOVES = [
    ('Klantgericht werken', '5b0f2198-7246-4256-a902-4d9ce1260c80',  # ensure customer orientation
     'b7c8f418-08d5-45d6-b697-ab26c6ecbfb4'),  # ensure client orientation
    ('Discipline en doorzettingsvermogen', 'f60b0a50-2e7b-46f8-9b9c-2809b10991f9',  # persist
     '19a64e91-bfe3-4c48-9225-3bb1229b12f0'),  # show determination
    ('Hygiënisch werken', '6816e28f-a48d-41c7-8492-309f50c049fc',  # follow hygienic work practices
     'd9449998-c1f5-478c-a103-2255398cf0b6'),  # apply hygiene standards
    ('Lassen', '2ee57de4-bffd-4194-b009-0060edec77cc',  # use welding equipment
     '2fcd95a4-1f9a-41cf-95a9-4701bde476b4'),  # operate welding equipment
]


def _move(pairs):
    bind = op.get_bind()
    for label, old, new in pairs:
        bind.execute(sa.text(
            "UPDATE skill SET code = :new, url = :url WHERE framework = 'ESCO' "
            "AND label = :label AND code = :old"),
            {"new": new, "url": ESCO + new, "label": label, "old": old})


def upgrade():
    _move(MOVES)


def downgrade():
    _move([(label, new, old) for label, old, new in MOVES])
