"""Applications for recognition, the assessing organisation's side.

Every route is ``/issuer/<slug>/aanvragen...`` and needs the role issuer (or
admin) in that organisation; applications are looked up only inside it
(``applications.in_org``), so staff of one organisation get a 404 for
another's, whatever id they try. Drafts are never shown to staff.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from badges.applications import evidence as evidence
from badges.applications import services as applications
from badges.applications.web.forms import DeclineForm, MessageForm
from badges.applications.web.routes import bp, file_response
from badges.kernel.errors import ServiceError
from badges.kernel.forms import EmptyForm
from badges.organisations.models import Organisation, Role
from badges.organisations.permissions import organisation_with_role
from badges.organisations.web.workspace import can


def assessor_route(rule: str, *, with_application: bool = True, **options: Any) -> Callable:
    """Register ``/issuer/<slug>/aanvragen<rule>`` for issuers of that organisation."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        @login_required
        def wrapper(slug: str, **kwargs: Any) -> Any:
            org, member = organisation_with_role(slug, Role.ISSUER)
            if with_application:
                kwargs["application"] = (applications.in_org(org, kwargs.pop("uuid"))
                                         or abort(404))
            return view(org, member, **kwargs)

        bp.add_url_rule(f"/issuer/<slug>/aanvragen{rule}", view.__name__, wrapper, **options)
        return wrapper

    return decorator


def _layout(org: Organisation, member: Any, template: str, **context: Any) -> str:
    """Render inside the issuer workspace layout (it needs the issuer helpers)."""
    return render_template(template, org=org, member=member, issuer_can=can, Role=Role,
                           has_endpoint=lambda e: e in _endpoints(), **context)


def _endpoints() -> set[str]:
    from flask import current_app

    return set(current_app.view_functions)


def _back(org: Organisation, application: Any):
    return redirect(url_for("applications.assess", slug=org.slug, uuid=application.uuid))


def _run(org, application, action: Callable[[], Any], done: str):
    try:
        action()
    except ServiceError as exc:
        flash(exc.message, "error")
    else:
        flash(done, "success")
    return _back(org, application)


@assessor_route("", with_application=False)
def assess_queue(org: Organisation, member: Any):
    """List the applications waiting for this organisation (or the decided ones)."""
    closed = request.args.get("toon") == "afgerond"
    return _layout(org, member, "applications/queue.html", closed=closed,
                   items=applications.queue(org, closed=closed))


@assessor_route("/<uuid>")
def assess(org: Organisation, member: Any, application: Any):
    """Show an application with its evidence, thread and decision forms."""
    return _layout(org, member, "applications/assess.html", application=application,
                   pending=application.state in applications.IN_QUEUE,
                   message_form=MessageForm(), decline_form=DeclineForm(), button=EmptyForm())


@assessor_route("/<uuid>/bewijs/<int:evidence_id>")
def assess_download(org: Organisation, member: Any, application: Any, evidence_id: int):
    """Download a file the learner attached."""
    return file_response(evidence.file_of(application, evidence_id) or abort(404))


@assessor_route("/<uuid>/vraag", methods=["POST"])
def assess_ask(org: Organisation, member: Any, application: Any):
    """Ask the learner a question."""
    form = MessageForm()
    if not form.validate_on_submit():
        flash(_("Schrijf je vraag."), "error")
        return _back(org, application)
    return _run(org, application, lambda: applications.ask(application, current_user,
                                                           form.text.data),
                _("Je vraag is naar de aanvrager gestuurd."))


@assessor_route("/<uuid>/goedkeuren", methods=["POST"])
def assess_approve(org: Organisation, member: Any, application: Any):
    """Approve: issue the credential with the evidence attached."""
    if not EmptyForm().validate_on_submit():
        return _back(org, application)
    return _run(org, application, lambda: applications.approve(application, current_user),
                _("Toegekend: het bewijs is uitgegeven en staat in de pas van de aanvrager."))


@assessor_route("/<uuid>/afwijzen", methods=["POST"])
def assess_decline(org: Organisation, member: Any, application: Any):
    """Decline with a reason the learner reads."""
    form = DeclineForm()
    if not form.validate_on_submit():
        flash(_("Geef een reden: de aanvrager krijgt die te lezen."), "error")
        return _back(org, application)
    return _run(org, application, lambda: applications.decline(application, current_user,
                                                               form.reason.data),
                _("De aanvraag is afgewezen. De aanvrager krijgt de reden per e-mail."))
