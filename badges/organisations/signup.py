"""Organisations that sign up themselves: a request, reviewed by the platform admin.

A sports club or a leerbedrijf fills in the public form (name, KvK or BRIN, a
contact and why). Nothing is created until the platform admin approves: then
the organisation exists and the contact is invited as its first admin (accepting
the invitation is consent). A decline carries a reason. The contact hears of
both by mail.
"""

from __future__ import annotations

from flask_babel import gettext as _

from badges.accounts.models import User
from badges.accounts.services import normalise_email
from badges.kernel import audit
from badges.kernel.db import db
from badges.kernel.errors import InvalidInput, NotFound, ServiceError
from badges.kernel.mail import SERVICE, Mail, recipient_language, send_mail, writing_in
from badges.kernel.models import utcnow
from badges.organisations import invitations, setup
from badges.organisations.models import (
    Organisation,
    OrganisationKind,
    OrganisationRequest,
    RequestState,
    Role,
)

# Who may sign up themselves: schools are created by the platform admin.
SELF_SIGNUP_KINDS = (OrganisationKind.COMMUNITY, OrganisationKind.EMPLOYER,
                     OrganisationKind.TRAINING_PROVIDER, OrganisationKind.MUNICIPALITY)


def submit(data: setup.NewOrganisation, *, contact_name: str, contact_email: str,
           reason: str) -> OrganisationRequest:
    """Store a sign-up request (checked like a new organisation) and tell the platform admins."""
    errors: dict[str, str] = {}
    try:
        data = setup.validated(data)
    except InvalidInput as exc:
        errors |= exc.errors
    if not (data.brin or data.kvk):
        errors["kvk"] = _("Vul je KvK-nummer in (of de BRIN-code van je school).")
    email = normalise_email(contact_email or "")
    if "@" not in email:
        errors["contact_email"] = _("Vul een geldig e-mailadres in.")
    if not contact_name.strip():
        errors["contact_name"] = _("Vul je naam in.")
    if not reason.strip():
        errors["reason"] = _("Vertel kort waarvoor je Skillspas wilt gebruiken.")
    if errors:
        raise InvalidInput(errors)
    row = OrganisationRequest(name=data.name, kind=data.kind, brin=data.brin or None,
                              kvk=data.kvk or None, website=data.website or None,
                              city=data.city or None, contact_name=contact_name.strip()[:200],
                              contact_email=email, reason=reason.strip()[:4000])
    db.session.add(row)
    db.session.flush()
    audit.record("organisation_request.submit", actor_id=None, subject_type="organisation_request",
                 subject_id=row.id, name=row.name)
    db.session.commit()
    for admin in db.session.scalars(db.select(User).filter_by(is_platform_admin=True)):
        with writing_in(recipient_language(admin.locale)) as lang:
            send_mail(Mail(to=admin.email, lang=lang, sender=SERVICE,
                           subject=_("Nieuwe aanmelding: %(name)s", name=row.name),
                           text=_("%(name)s wil Skillspas gebruiken. Bekijk de aanmelding op de "
                                  "beheerpagina.", name=row.name),
                           reason=_("Je krijgt deze mail omdat je Skillspas beheert.")))
    with writing_in(recipient_language(on_page=True)) as lang:
        send_mail(Mail(to=email, lang=lang, sender=SERVICE,
                       subject=_("We hebben je aanmelding ontvangen"),
                       text=_("Hallo %(contact)s,\n\nWe hebben de aanmelding van %(name)s voor "
                              "Skillspas ontvangen. We controleren de gegevens en sturen je binnen "
                              "een paar werkdagen een e-mail.",
                              contact=row.contact_name, name=row.name),
                       reason=_("Je krijgt deze mail omdat je %(name)s hebt aangemeld bij "
                                "Skillspas.", name=row.name)))
    return row


def _contact_language(row: OrganisationRequest) -> str:
    """The contact's own language when they have an account; else Dutch."""
    return recipient_language(db.session.scalar(
        db.select(User.locale).filter_by(email=row.contact_email)))


def pending() -> list[OrganisationRequest]:
    return list(db.session.scalars(db.select(OrganisationRequest).filter_by(
        state=RequestState.PENDING).order_by(OrganisationRequest.created_at)))


def _open(request_id: int) -> OrganisationRequest:
    row = db.session.get(OrganisationRequest, request_id)
    if row is None:
        raise NotFound(_("Deze aanmelding bestaat niet."))
    if row.state != RequestState.PENDING:
        raise ServiceError(_("Over deze aanmelding is al beslist."), code="decided")
    return row


def approve(request_id: int, *, actor_id: int | None) -> tuple[Organisation, str]:
    """Create the organisation and invite the contact as its first admin; returns the link."""
    row = _open(request_id)
    org = setup.create(setup.NewOrganisation(
        name=row.name, kind=row.kind, brin=row.brin or "", kvk=row.kvk or "",
        website=row.website or "", city=row.city or ""), actor_id=actor_id)
    row.state, row.decided_by_id, row.decided_at = RequestState.APPROVED, actor_id, utcnow()
    row.organisation_id = org.id
    audit.record("organisation_request.approve", actor_id=actor_id, organisation_id=org.id,
                 subject_type="organisation_request", subject_id=row.id)
    # invite() commits the organisation, the decision and the invitation together, then mails
    _invitation, link = invitations.invite(org, row.contact_email, row.contact_name, Role.ADMIN,
                                           inviter=None)
    with writing_in(_contact_language(row)) as lang:
        send_mail(Mail(to=row.contact_email, lang=lang, sender=SERVICE,
                       subject=_("Je aanmelding is goedgekeurd"),
                       text=_("Hallo %(contact)s,\n\n%(name)s staat nu in Skillspas. Je krijgt een "
                              "aparte e-mail met een uitnodiging: neem die aan om de organisatie te "
                              "beheren.", contact=row.contact_name, name=org.name),
                       reason=_("Je krijgt deze mail omdat je %(name)s hebt aangemeld bij "
                                "Skillspas.", name=org.name)))
    return org, link


def decline(request_id: int, reason: str, *, actor_id: int | None) -> OrganisationRequest:
    """Decline with a reason the contact reads."""
    if not reason.strip():
        raise InvalidInput({"reason": _("Geef een reden op.")})
    row = _open(request_id)
    row.state, row.decided_by_id, row.decided_at = RequestState.DECLINED, actor_id, utcnow()
    row.decision_reason = reason.strip()
    audit.record("organisation_request.decline", actor_id=actor_id,
                 subject_type="organisation_request", subject_id=row.id)
    db.session.commit()
    with writing_in(_contact_language(row)) as lang:
        send_mail(Mail(to=row.contact_email, lang=lang, sender=SERVICE,
                       subject=_("Je aanmelding bij Skillspas"),
                       text=_("Hallo %(contact)s,\n\nWe hebben de aanmelding van %(name)s niet "
                              "goedgekeurd. De reden:\n\n%(reason)s\n\nVragen? Antwoord op deze "
                              "e-mail.", contact=row.contact_name, name=row.name,
                              reason=row.decision_reason),
                       reason=_("Je krijgt deze mail omdat je %(name)s hebt aangemeld bij "
                                "Skillspas.", name=row.name)))
    return row
