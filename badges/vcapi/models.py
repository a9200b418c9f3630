"""Where a credential signed through the VC-API sits in its issuer's status lists.

Only the credential's ``id`` and its two status-list positions are kept, not the
credential itself: the VC-API signs what the caller sends, and the caller keeps it.
One ``id`` may have been signed more than once; a status change applies to all.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from badges.kernel.models import Base, CreatedAt


class VcApiCredential(CreatedAt, Base):
    __tablename__ = "vc_api_credential"
    __table_args__ = (Index("ix_vc_api_credential_org_id", "organisation_id", "credential_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    credential_id: Mapped[str] = mapped_column(String(500))
    revocation_list_id: Mapped[int] = mapped_column(ForeignKey("status_list.id"))
    revocation_index: Mapped[int]
    # None for an Open Badge: OB 3.0 allows one credentialStatus object, the revocation one
    suspension_list_id: Mapped[int | None] = mapped_column(ForeignKey("status_list.id"))
    suspension_index: Mapped[int | None]
