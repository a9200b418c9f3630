"""Catalogue pages: search (a plain GET form), one page per listed entry, and suggestions.

The catalogue is public and lists offerings only (services.catalogue never
reads learners). ``/passport/next`` is the one signed-in page: suggestions for
``current_user`` only.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from badges.catalogue import skills as skill_pages
from badges.catalogue.labels import kind_label
from badges.catalogue.models import Achievement, AchievementKind, Pathway
from badges.issuing.web.documents import jsonld
from badges.issuing.web.negotiation import wants_json
from badges.kernel import urls
from badges.listings import search as catalogue
from badges.listings import services as listing
from badges.listings import suggestions
from badges.listings.search import Filters

bp = Blueprint("catalogue", __name__)

FILTER_LABELS = {
    "q": _l("Zoekwoord"), "skill": _l("Vaardigheid"), "sector": _l("Sector"),
    "level": _l("Niveau"), "type": _l("Soort"), "format": _l("Vorm"), "place": _l("Plaats"),
    "max_weeks": _l("Duur"), "max_sbu": _l("Studielast"), "free": _l("Kosten"),
    "funding": _l("Financiering"), "language": _l("Taal"), "issuer": _l("Aanbieder"),
}


def level_label(value: str) -> str:
    """``mbo:2`` → "mbo niveau 2", ``mbo:entree`` → "Entree", ``qf:4`` → "NLQF/EQF 4"."""
    kind, _sep, level = value.partition(":")
    if kind == "mbo":
        return _("Entree (mbo 1)") if level == "entree" else _("mbo niveau %(n)s", n=level)
    return _("NLQF/EQF niveau %(n)s", n=level)


def euro(amount: Decimal) -> str:
    """Dutch notation: € 1.450 or € 12,50."""
    whole = amount == amount.to_integral_value()
    text = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    return "€ " + text.replace(",", " ").replace(".", ",").replace(" ", ".")


def _int(value: str | None, low: int, high: int) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if low <= number <= high else None


def parse_filters(args: MultiDict[str, str]) -> Filters:
    """Read the GET form; anything unknown or out of range is simply ignored."""
    text = {k: (args.get(k) or "").strip()[:100] for k in (
        "q", "sector", "level", "type", "format", "place", "funding", "language", "issuer")}
    return Filters(skill=_int(args.get("skill"), 1, 10**9), free=args.get("free") == "1",
                   max_weeks=_int(args.get("max_weeks"), 1, 520),
                   max_sbu=_int(args.get("max_sbu"), 1, 100000), **text)


def _value_label(name: str, value: Any, options: catalogue.Options) -> str:
    """How an active filter reads on the page ("Vorm: Online")."""
    if name == "skill":
        return next((s.label for _g, skills in options.skills for s in skills if s.id == value),
                    str(value))
    labels: dict[str, Any] = {
        "sector": listing.SECTORS, "format": listing.FORMATS, "funding": listing.FUNDING,
        "language": listing.LANGUAGES, "issuer": dict(options.issuers)}
    if name in labels:
        return str(labels[name].get(value, value))
    if name == "level":
        return level_label(value)
    if name == "type":
        return _("Traject") if value == catalogue.PATHWAY_TYPE else kind_label(
            AchievementKind(value)) if value in set(AchievementKind) else value
    if name == "max_weeks":
        return _("hoogstens %(n)d weken", n=value)
    if name == "max_sbu":
        return _("hoogstens %(n)d SBU", n=value)
    if name == "free":
        return _("Gratis")
    return str(value)


def _active(f: Filters, options: catalogue.Options) -> list[tuple[str, str]]:
    """(label, URL without that filter) for every active filter."""
    values = {k: v for k, v in vars(f).items() if v not in ("", None, False)}
    chips = []
    for name, value in values.items():
        rest = {k: ("1" if v is True else v) for k, v in values.items() if k != name}
        chips.append((f"{FILTER_LABELS[name]}: {_value_label(name, value, options)}",
                      url_for("catalogue.index") + ("?" + urlencode(rest) if rest else "")))
    return chips


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"sectors": listing.SECTORS, "formats": listing.FORMATS, "funding_labels":
            listing.FUNDING, "languages": listing.LANGUAGES, "level_label": level_label,
            "study_load": catalogue.study_load_sbu, "PATHWAY_TYPE": catalogue.PATHWAY_TYPE,
            "has_endpoint": lambda e: e in current_app.view_functions, "euro": euro}


@bp.get("/aanbod/")
@bp.get("/aanbod")
def index():
    """Search the listed achievements and trajectories."""
    f = parse_filters(request.args)
    options = catalogue.options()
    entries = catalogue.search(f)
    return render_template("catalogue/index.html", f=f, entries=entries, options=options,
                           chips=_active(f, options), mbo_levels=catalogue.MBO_LEVELS,
                           qf_levels=catalogue.QF_LEVELS)


@bp.get("/aanbod/<uuid>")
def achievement(uuid: str):
    """Show one listed achievement: what you learn, what you get, how to start."""
    entry = catalogue.achievement_entry(uuid) or abort(404)
    return render_template("catalogue/entry.html", entry=entry,
                           stacks=catalogue.stacks_into(cast(Achievement, entry.achievement)))


@bp.get("/aanbod/traject/<int:pathway_id>")
def pathway(pathway_id: int):
    """Show one listed trajectory: its steps, what it leads to, how to start."""
    entry = catalogue.pathway_entry(pathway_id) or abort(404)
    steps = [s.achievement for s in cast(Pathway, entry.pathway).steps]
    return render_template("catalogue/entry.html", entry=entry, stacks=[], steps=steps,
                           step_links=catalogue.listed_uuids({a.lineage for a in steps}))


@bp.get("/skills")
def skills():
    """All skills with a page, by group (credentials signed before skill pages point here)."""
    return render_template("catalogue/skills.html", groups=skill_pages.overview())


@bp.get("/skills/<int:skill_id>")
def skill(skill_id: int):
    """A skill credentials point to: for people its label, group and what teaches it;
    for machines a schema.org DefinedTerm (``sameAs`` its ESCO concept when it has one)."""
    found = skill_pages.public(skill_id) or abort(404)
    esco = skill_pages.esco_uri(found)
    if wants_json():
        term = {"@context": "https://schema.org", "@type": "DefinedTerm",
                "@id": urls.skill_url(found.id), "name": found.label,
                "inDefinedTermSet": urls.base_url() + url_for("catalogue.skills")}
        return jsonld({**term, "sameAs": esco} if esco else term)
    return render_template("catalogue/skill.html", skill=found, esco=esco,
                           taught_by=skill_pages.taught_by(found.id),
                           entries=catalogue.search(Filters(skill=found.id)))


@bp.get("/passport/next")
@login_required
def next_steps():
    """Suggest listed offerings that build on what I hold, each with its reason."""
    return render_template("catalogue/next.html",
                           suggestions=suggestions.for_user(current_user.id))
