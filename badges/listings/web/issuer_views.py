"""Issuer pages for the catalogue: which achievements and trajectories are listed, and the
"Vermelding in het aanbod" form for each (role issuer or more)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from badges.catalogue import achievements
from badges.catalogue.achievements import InvalidAchievement
from badges.catalogue.models import Achievement, Pathway
from badges.listings import services as listing
from badges.listings.models import Listing
from badges.listings.services import ListingInput
from badges.listings.web.forms import ListingForm
from badges.organisations.models import Membership, Organisation, Role
from badges.organisations.web.workspace import in_org, org_route


def _fill(form: ListingForm, row: Listing | None) -> None:
    if row is None:
        return
    form.process(obj=row)
    form.format.data = row.format.value if row.format else ""
    form.cost_kind.data = row.cost_kind.value
    form.funding.data = [t.value for t in row.funding_tags]


def _input(form: ListingForm) -> ListingInput:
    return ListingInput(
        listed=bool(form.listed.data), sector=form.sector.data or "",
        format=form.format.data or "", city=form.city.data or "",
        language=form.language.data or "nl", duration_weeks=form.duration_weeks.data,
        cost_kind=form.cost_kind.data or "", cost_euro=form.cost_euro.data,
        cost_text=form.cost_text.data or "", funding=list(form.funding.data or []),
        funding_text=form.funding_text.data or "", start_url=form.start_url.data or "",
        start_email=form.start_email.data or "", start_phone=form.start_phone.data or "",
        start_text=form.start_text.data or "", applications_open=bool(form.applications_open.data))


def _edit(org: Organisation, member: Membership, row: Listing | None, save, *, title: str,
          subject: Achievement | Pathway, back: str):
    form = ListingForm()
    if request.method == "GET":
        _fill(form, row)
    if form.validate_on_submit():
        try:
            saved = save(_input(form))
        except InvalidAchievement as exc:
            for name, message in exc.errors.items():
                getattr(form, name, form.sector).errors.append(message)
        else:
            flash(_("In het aanbod: '%(name)s' is zichtbaar.", name=title) if saved.listed else
                  _("Opgeslagen. '%(name)s' staat niet in het aanbod.", name=title), "success")
            return redirect(back)
    return render_template("issuer/listing_form.html", org=org, member=member, form=form,
                           title=title, subject=subject, back=back,
                           has_errors=bool(form.errors)), 422 if form.errors else 200


@org_route("/aanbod", Role.VIEWER)
def listing_overview(org: Organisation, member: Membership):
    """Show which achievements and trajectories are in the public catalogue."""
    return render_template("issuer/listing_overview.html", org=org, member=member,
                           achievements=achievements.current_of(org),
                           pathways=achievements.pathways_of(org),
                           listings=listing.of_organisation(org), formats=listing.FORMATS,
                           sectors=listing.SECTORS)


@org_route("/achievements/<uuid>/aanbod", Role.ISSUER, methods=["GET", "POST"])
def listing_achievement(org: Organisation, member: Membership, uuid: str):
    """Edit how an achievement (all its versions) appears in the catalogue."""
    a = in_org(Achievement, org, uuid=uuid)
    return _edit(org, member, listing.for_achievement(a),
                 lambda data: listing.save_for_achievement(a, data, actor_id=current_user.id),
                 title=a.name, subject=a,
                 back=url_for("issuer.listing_overview", slug=org.slug))


@org_route("/pathways/<int:pathway_id>/aanbod", Role.ISSUER, methods=["GET", "POST"])
def listing_pathway(org: Organisation, member: Membership, pathway_id: int):
    """Edit how a trajectory appears in the catalogue."""
    p = in_org(Pathway, org, id=pathway_id)
    return _edit(org, member, listing.for_pathway(p),
                 lambda data: listing.save_for_pathway(p, data, actor_id=current_user.id),
                 title=p.name, subject=p, back=url_for("issuer.listing_overview", slug=org.slug))
