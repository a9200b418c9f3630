"""A learner's Comprehensive Learner Record (CLR 2.0), signed by the platform.

Who signs: a CLR is a credential, so someone must issue it. A learner export
cannot be signed by the schools in it (it is assembled without them, from a
selection the learner makes), and a learner-held key would need key
management we do not offer. So the *platform* issues it: an Organisation row
for Skillspas itself (slug ``skillspas``, kind training provider, created on
demand) with its own signing key, published like every issuer's. What the
platform's signature asserts is only "Skillspas assembled this record for
this learner on this date"; each embedded credential keeps its own issuer's
proof, and verifiers check those one by one (see
``badges.credentials.verify.clr_checks``). Trajectory CLRs issued by a school
use the same engine (:mod:`badges.credentials.clr`) with the school as issuer.
"""

from __future__ import annotations

import uuid
from typing import Any

from badges.accounts.models import User
from badges.catalogue.models import Pathway
from badges.credentials import clr, data_integrity
from badges.issuing import keystore
from badges.issuing.credential_data import achievement_data, issuer_data
from badges.kernel import audit, urls
from badges.kernel.db import db
from badges.kernel.errors import NotFound, ServiceError
from badges.kernel.models import utcnow
from badges.organisations.models import Organisation, OrganisationKind
from badges.passport import share

PLATFORM_SLUG = "skillspas"


def platform_organisation() -> Organisation:
    """The platform as an issuer, created the first time a CLR is exported."""
    org = db.session.scalar(db.select(Organisation).filter_by(slug=PLATFORM_SLUG))
    if org is None:
        org = Organisation(
            slug=PLATFORM_SLUG, name="Skillspas", kind=OrganisationKind.TRAINING_PROVIDER,
            description="Het platform Skillspas. Ondertekent overzichten (CLR) die leerlingen "
                        "zelf samenstellen; de bewijzen erin zijn ondertekend door hun eigen "
                        "uitgevers.",
            website=urls.base_url(), verified=True, verified_at=utcnow())
        db.session.add(org)
        db.session.flush()
    return org


def _selection(user: User, credential_uuids: list[str] | None) -> list:
    own = share.owned_credentials(user.id)
    if credential_uuids is None:
        return own
    wanted = set(credential_uuids)
    chosen = [c for c in own if c.uuid in wanted]
    if len(chosen) != len(wanted):
        raise ServiceError("Je kunt alleen je eigen bewijzen opnemen.", code="not_yours",
                           field="credentials")
    return chosen


def build_for_user(user: User, credential_uuids: list[str] | None = None,
                   pathway_id: int | None = None) -> dict[str, Any]:
    """Sign a CLR of the chosen credentials (or all, or those of one pathway)."""
    creds = _selection(user, credential_uuids)
    associations: list[clr.Association] = []
    extra_achievements = []
    name = f"Skillspas-overzicht van {user.name}"
    if pathway_id is not None:
        pathway = db.session.get(Pathway, pathway_id) or _missing()
        by_lineage = {c.achievement.lineage: c for c in creds}
        steps = [s.achievement for s in pathway.steps]
        creds = [by_lineage[a.lineage] for a in steps if a.lineage in by_lineage]
        ids = [urls.achievement_url(c.achievement.uuid) for c in creds]
        if pathway.ordered:
            associations += clr.chain_associations(ids)
        if pathway.target is not None:
            target = by_lineage.get(pathway.target.lineage)
            target_id = urls.achievement_url((target.achievement if target else
                                              pathway.target).uuid)
            if target is None:
                extra_achievements.append(achievement_data(pathway.target))
            associations += clr.part_of(target_id, [i for i in ids if i != target_id])
        name = f"{pathway.name}: overzicht van {user.name}"
    if not creds:
        raise ServiceError("Kies minstens één bewijs voor het overzicht.",
                           code="nothing_chosen", field="credentials")
    org = platform_organisation()
    key = keystore.signing_key_for(org)
    doc = clr.build_clr(clr.ClrData(
        credential_id=f"urn:uuid:{uuid.uuid4()}",
        issuer=issuer_data(org), name=name, valid_from=utcnow(),
        recipient_email=user.email,
        credentials=[c.document for c in creds],
        description="Samengesteld door de leerling en ondertekend door het platform "
                    "Skillspas. Elk bewijs erin is ondertekend door zijn eigen uitgever.",
        achievements=extra_achievements, associations=associations,
        partial=credential_uuids is not None or pathway_id is not None))
    signed = data_integrity.sign(doc, key.private_key, key.verification_method)
    audit.record("clr.export", actor_id=user.id, subject_type="clr", subject_id=doc["id"],
                 count=len(creds))
    db.session.commit()
    return signed


def _missing() -> Pathway:
    raise NotFound("Deze leerroute bestaat niet.")
