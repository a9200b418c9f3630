"""A completed LLO trajectory as a signed CLR 2.0 ``ClrCredential``, issued by its owner.

Unlike a learner's passport export (signed by the platform, see ``clr_export``),
this record is issued by the trajectory's owner, who awarded it: it embeds the
trajectory credential and every component credential (each keeps its own
issuer's proof) with associations: each component ``isChildOf`` the
trajectory achievement, and in an ordered trajectory step n ``precedes`` n+1.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from badges.accounts.models import User
from badges.credentials import clr, data_integrity
from badges.issuing import keystore
from badges.issuing.credential_data import issuer_data
from badges.issuing.models import Credential
from badges.kernel import audit
from badges.kernel.db import db
from badges.kernel.errors import NotFound
from badges.kernel.models import utcnow
from badges.trajectories.models import AwardState, TrajectoryAward
from badges.trajectories.services import component_credentials


def award_of(user: User, award_uuid: str) -> TrajectoryAward:
    award = db.session.scalar(db.select(TrajectoryAward).filter_by(uuid=award_uuid,
                                                                   user_id=user.id))
    if award is None or award.state != AwardState.ISSUED or award.credential is None:
        raise NotFound("Dit traject is (nog) niet aan je toegekend.")
    return award


def build(award: TrajectoryAward) -> dict[str, Any]:
    """Sign the CLR with the key of the trajectory's owner."""
    pathway, target = award.pathway, cast(Credential, award.credential)  # own() checked it
    components = component_credentials(pathway, award.user_id)
    target_id = clr.achievement_id_of(target.document)
    ids = [clr.achievement_id_of(c.document) for c in components]
    associations = clr.part_of(cast(str, target_id), [i for i in ids if i and i != target_id])
    if pathway.ordered:
        associations += clr.chain_associations([i for i in ids if i])
    org = pathway.organisation
    key = keystore.signing_key_for(org)
    partners = ", ".join(p.organisation.name for p in pathway.partners)
    doc = clr.build_clr(clr.ClrData(
        credential_id=f"urn:uuid:{uuid.uuid4()}", issuer=issuer_data(org),
        name=f"{pathway.name}: {award.user.name}", valid_from=utcnow(),
        recipient_email=award.user.email,
        credentials=[target.document] + [c.document for c in components],
        description=f"LLO-traject van {org.name}"
                    + (f", samen met {partners}" if partners else "")
                    + ". Elk bewijs erin is ondertekend door zijn eigen uitgever.",
        associations=associations, partial=False))
    signed = data_integrity.sign(doc, key.private_key, key.verification_method)
    audit.record("clr.trajectory", actor_id=award.user_id, organisation_id=org.id,
                 subject_type="trajectory_award", subject_id=award.uuid)
    db.session.commit()
    return signed
