"""Correct the seeded skills' ESCO codes: real ESCO concepts, or no ESCO label at all.

The seed list used codes that looked like ESCO's (T4.1, S1.2.1, ...) but were not ESCO
concepts (ESCO's S1.2.1 is "coordinating activities with others"). Seeded rows still holding
such a code get the ESCO concept URI established for them (badges/catalogue/skills_seed.py
says where it was looked up), or lose the ESCO label; any other row labelled ESCO without an
ESCO concept URI loses it too. Credentials signed before keep what they say; only new ones
carry the corrected alignment. No schema change.

Revision ID: a4c2e8f61b37
Revises: 8a6500831f25
Create Date: 2026-12-04 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a4c2e8f61b37'
down_revision = '8a6500831f25'
branch_labels = None
depends_on = None

ESCO = "http://data.europa.eu/esco/skill/"
NOT_ESCO = "framework = 'ESCO' AND (url IS NULL OR url NOT LIKE 'http://data.europa.eu/esco/skill/%')"
# (label, the old made-up code, the ESCO concept's UUID or "" when there is none)
SEED = [
    ('Samenwerken in een team', 'T4.1', '60c78287-22eb-4103-9c8c-28deaa460da0'),
    ('Mondeling communiceren', 'T4.2', ''),
    ('Klantgericht werken', 'S1.2.1', '5b0f2198-7246-4256-a902-4d9ce1260c80'),
    ('Conflicten oplossen', 'T4.3', '0ee94af1-b445-4973-9c3f-459fab250342'),
    ('Leidinggeven aan een groep', 'T4.4', '75d8e5d9-bef3-418b-9011-01bff9f27207'),
    ('Begeleiden en coachen', 'S1.5.2', 'a584a638-a2c0-4b3c-bdf3-a64f87225be9'),
    ('Nederlands op B1-niveau', 'T1.1', 'cad4f44b-28a8-4448-86e5-7389e5ebf3eb'),
    ('Problemen oplossen', 'T2.1', 'adc6dc11-3376-467b-96c5-9b0a21edc869'),
    ('Plannen en organiseren', 'T3.2', ''),
    ('Zelfstandig leren', 'T2.4', ''),
    ('Digitale basisvaardigheden', 'T6.2', 'd15ce60f-ddab-41ce-ba56-398451b77b60'),
    ('Werken met cijfers', 'T1.2', '5dd01a1e-7ba0-4b7f-a76c-ed811c12bfde'),
    ('Discipline en doorzettingsvermogen', 'T3.1', 'f60b0a50-2e7b-46f8-9b9c-2809b10991f9'),
    ('Verantwoordelijkheid nemen', 'T3.3', '199f7919-5114-41b6-b6a5-41e0e4896ec1'),
    ('Ondernemend werken', 'T3.4', 'bdcf429c-5ccf-4c3d-bb61-4c987573a35e'),
    ('Ondersteunen bij persoonlijke verzorging', 'S3.1.1', ''),
    ('Hygiënisch werken', 'S3.1.2', '6816e28f-a48d-41c7-8492-309f50c049fc'),
    ('Signaleren van veranderingen bij een cliënt', 'S3.1.3', ''),
    ('Ondersteunen bij huishoudelijke taken', 'S3.1.4', ''),
    ('Rapporteren in een zorgdossier', 'S3.1.5', ''),
    ('Handelen bij een noodsituatie (BHV)', 'S3.2.1', ''),
    ('Veilig werken (VCA)', 'S6.1.1', 'dcc96a49-0bac-4a9c-8f8e-a32b4e47e6eb'),
    ('Metaal verspanen', 'S6.2.1', ''),
    ('Lassen', 'S6.2.2', '2ee57de4-bffd-4194-b009-0060edec77cc'),
    ('Technische tekeningen lezen', 'S6.2.3', 'b07daddc-8625-4360-946e-ad2b0e56ebf6'),
    ('Meten en controleren', 'S6.2.4', 'b92758d4-4591-4df1-9ceb-f907aa71ebd9'),
    ('Werkvoorbereiding in de bouw', 'S6.3.1', ''),
    ('Leerlingen begeleiden op de werkplek', 'S6.3.2', ''),
    ('Kassawerk en geld afrekenen', 'S2.1.1', ''),
    ('Voorraad beheren', 'S2.1.2', ''),
    ('Administratie bijhouden', 'S2.2.1', '8ebb2c0a-0baa-43bf-95cf-094047c57427'),
    ('Werken met Excel', 'S2.2.2', '1973c966-f236-40c9-b2d4-5d71a89019be'),
    ('Trainingen geven aan jeugd', 'S4.1.1', ''),
    ('Sportactiviteiten organiseren', 'S4.1.2', ''),
]


def upgrade():
    bind = op.get_bind()
    for label, old, uuid in SEED:
        if uuid:
            bind.execute(sa.text(
                "UPDATE skill SET code = :uuid, url = :url WHERE framework = 'ESCO' "
                "AND label = :label AND code = :old"),
                {"uuid": uuid, "url": ESCO + uuid, "label": label, "old": old})
    # Whatever is still labelled ESCO without an ESCO concept URI is not ESCO: it becomes a
    # skill of our own list ("Skillspas"; typed-in skills keep framework "").
    bind.execute(sa.text("UPDATE skill SET framework = 'Skillspas', code = '' WHERE " + NOT_ESCO))


def downgrade():
    pass  # a correction: the made-up codes are not put back
