"""Demo step: list most demo achievements and both trajectories in the catalogue.

Idempotent: a listing is created only when the achievement's lineage (or the
pathway) has none yet, so a second run, or an issuer's later edits, are kept.
Not listed on purpose: the LLO-traject achievement "Van kassa naar zorg" (its
trajectory is listed instead) and the Van Houten praktijkverklaring (the
default for anything new is "not listed").
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from badges.kernel.db import db
from badges.listings.models import Listing
from badges.listings.services import ListingInput, apply_input

ROC = {"start_url": "https://www.rocdemaasvallei.example/volwassenen",
       "start_email": "volwassenen@rocdemaasvallei.example", "start_phone": "0412 123 450",
       "start_text": "Meld je aan via de website of bel het Leerwerkloket. Je krijgt eerst "
                     "een intakegesprek."}
VAKCOLLEGE = {"start_url": "https://www.vakcollegetechniek.example/cursussen",
              "start_email": "cursus@vakcollege.example", "start_phone": "0413 456 700",
              "start_text": "Aanmelden kan het hele jaar. We starten elke maand een nieuwe groep."}
TECH = {"sector": "techniek", "city": "Uden", **VAKCOLLEGE}
CARE = {"sector": "zorg_welzijn", "city": "Oss", **ROC}
OSS = {"city": "Oss", "start_email": "lerendestad@oss.example", "start_phone": "14 0412",
       "start_url": "https://www.oss.example/lerende-stad",
       "start_text": "Loop binnen bij de bibliotheek of het Leerwerkloket in het stadhuis."}


def _amount(euro: int) -> dict[str, Any]:
    return {"cost_kind": "bedrag", "cost_euro": Decimal(euro)}


FREE = {"cost_kind": "gratis"}

# achievement name → listing fields
ACHIEVEMENT_LISTINGS: dict[str, dict[str, Any]] = {
    "Basiszorg": {**CARE, "format": "blended", "duration_weeks": 10, **_amount(450),
                  "funding": ["leerrekening", "gemeente", "werkgever"],
                  "cost_text": "Inclusief lesmateriaal.", "applications_open": True},
    "Hygiëne en veiligheid": {**CARE, "format": "op_locatie", "duration_weeks": 6,
                              **_amount(295), "funding": ["leerrekening", "werkgever"]},
    "Zorg voor mensen met dementie": {**CARE, "format": "blended", "duration_weeks": 20,
                                      **_amount(690),
                                      "funding": ["leerrekening", "oo_fonds", "werkgever"]},
    "Mbo-certificaat Helpende zorg en welzijn: basiszorg": {
        **CARE, "format": "op_de_werkplek", "duration_weeks": 40, **_amount(1450),
        "funding": ["leerrekening", "gemeente", "uwv", "werkgever"],
        "funding_text": "Werkzoekend? Vraag bij UWV of de gemeente naar scholing.",
        "applications_open": True},
    "Digitale vaardigheden basis": {**ROC, "sector": "basis", "city": "Oss", "format": "online",
                                    "duration_weeks": 12, **FREE, "funding": ["gemeente"],
                                    "cost_text": "Gratis voor inwoners van Oss."},
    "Veilig werken in de werkplaats": {**TECH, "format": "op_locatie", "duration_weeks": 2,
                                       **_amount(195), "funding": ["oo_fonds", "werkgever", "uwv"]},
    "Tekening lezen": {**TECH, "format": "blended", "duration_weeks": 4, **_amount(245),
                       "funding": ["oo_fonds", "werkgever"]},
    "Verspanen 1": {**TECH, "format": "op_locatie", "duration_weeks": 6, **_amount(395),
                    "funding": ["oo_fonds"]},
    "Lassen basis": {**TECH, "format": "op_locatie", "duration_weeks": 6, **_amount(425),
                     "funding": ["oo_fonds", "uwv"]},
    "Meten en controleren": {**TECH, "format": "op_locatie", "duration_weeks": 2,
                             **_amount(150), "funding": ["oo_fonds"]},
    "Mbo-certificaat Basisvaardigheden metaalbewerken": {
        **TECH, "format": "op_de_werkplek", "duration_weeks": 30, **_amount(1650),
        "funding": ["leerrekening", "oo_fonds", "uwv", "werkgever"], "applications_open": True},
    "Deelcertificaat Werkvoorbereiding bouw": {
        **TECH, "sector": "bouw", "format": "blended", "duration_weeks": 16, **_amount(980),
        "funding": ["leerrekening", "oo_fonds"]},
    "Werkbegeleider in de bouw": {
        **TECH, "sector": "bouw", "city": "Heesch", "format": "blended", "duration_weeks": 14,
        **_amount(1195), "funding": ["leerrekening", "oo_fonds", "werkgever"],
        "cost_text": "Lessen in Uden, praktijk bij een leerbedrijf in Heesch.",
        "applications_open": True},
    "Praktijkverklaring Ondersteunen bij dagelijkse zorg": {
        "sector": "zorg_welzijn", "city": "Oss", "format": "op_de_werkplek",
        "duration_weeks": 12, **FREE, "funding": ["werkgever"],
        "start_email": "opleiding@delinde.example", "start_phone": "0412 654 321",
        "start_text": "Werk je bij ons of wil je bij ons leren? Vraag naar de praktijkopleider.",
        "applications_open": True},
    "Samenwerken in het team": {
        "sector": "sport", "city": "Oss", "format": "op_locatie", "duration_weeks": 36, **FREE,
        "cost_text": "Gratis voor leden van de vereniging.",
        "start_email": "trainer@osc28.example",
        "start_text": "Kom een keer meetrainen; de trainer vertelt je meer."},
    "Jeugdtrainer": {
        "sector": "sport", "city": "Oss", "format": "op_locatie", "duration_weeks": 36, **FREE,
        "funding": ["gemeente"], "cost_text": "De vereniging betaalt de cursus.",
        "start_email": "trainer@osc28.example"},
    "Digitaal meedoen": {**OSS, "sector": "basis", "format": "op_locatie", "duration_weeks": 6,
                         **FREE, "funding": ["gemeente"]},
    "Taalcafé: Nederlands op B1": {**OSS, "sector": "basis", "format": "op_locatie",
                                   "duration_weeks": 20, **FREE, "funding": ["gemeente"]},
}

PATHWAY_LISTINGS: dict[str, dict[str, Any]] = {
    "Op weg naar het mbo-certificaat metaalbewerken": {
        **TECH, "format": "op_locatie", "duration_weeks": 30, **_amount(1450),
        "funding": ["leerrekening", "oo_fonds", "uwv", "werkgever"],
        "funding_text": "Werk je al in de metaal? Vraag je werkgever naar het opleidingsfonds."},
    "Van kassa naar zorg": {
        **CARE, "format": "blended", "duration_weeks": 52, **_amount(1250),
        "funding": ["leerrekening", "gemeente", "uwv", "werkgever"],
        "funding_text": "Werkzoekend? UWV of de gemeente betaalt vaak mee. Werk je in de winkel? "
                        "Vraag je werkgever.",
        "start_text": "Eerst een oriëntatiegesprek bij het Leerwerkloket Oss; daarna kies je "
                      "samen een zorgorganisatie voor de praktijk."},
}


def _row(existing: Listing | None, org_id: int, fields: dict[str, Any], **key: Any) -> None:
    if existing is not None:
        return
    row = Listing(organisation_id=org_id, **key)
    apply_input(row, ListingInput(listed=True, **fields))
    db.session.add(row)


def seed_listings(context: dict[str, Any]) -> None:
    """Create the demo listings that do not exist yet (commits)."""
    found = {(r.achievement_lineage or f"p{r.pathway_id}"): r
             for r in db.session.scalars(db.select(Listing))}
    for name, fields in ACHIEVEMENT_LISTINGS.items():
        a = context["achievements"].get(name)
        if a is not None:
            _row(found.get(a.lineage), a.organisation_id, fields, achievement_lineage=a.lineage)
    for name, fields in PATHWAY_LISTINGS.items():
        p = context["pathways"].get(name)
        if p is not None:
            _row(found.get(f"p{p.id}"), p.organisation_id, fields, pathway_id=p.id)
    db.session.commit()
