"""Reading a bulk-issuing CSV the way Excel writes it, and checking every row.

Excel (nl-NL) saves ``;``-separated files, often in cp1252; other tools write
``,`` and UTF-8 with or without a BOM. We sniff the separator, accept Dutch and
English column names, and check each row on its own: one bad row never stops
the others, and every problem names its line (as Excel numbers rows, the
header is line 1) and its column. Nothing here writes to the database.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any, cast

from flask_babel import gettext as _

from badges.accounts.services import normalise_email
from badges.catalogue.models import Achievement, AchievementState
from badges.issuing import rules
from badges.kernel import spreadsheet
from badges.kernel.db import db
from badges.kernel.errors import ServiceError
from badges.kernel.models import utcnow
from badges.organisations.models import Organisation

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000

# canonical field → accepted header names (compared lower-case, "-"/" " as "_")
ALIASES: dict[str, tuple[str, ...]] = {
    "email": ("email", "e_mail", "emailadres", "e_mailadres", "mail"),
    "name": ("naam", "name", "volledige_naam", "full_name"),
    "achievement": ("prestatie", "achievement", "badge", "keuzedeel", "crebo"),
    "period": ("periode", "period"),
    "result": ("resultaat", "result", "cijfer", "grade"),
    "evidence_url": ("bewijs_url", "evidence_url", "bewijslink"),
    "evidence": ("bewijs", "evidence", "toelichting"),
    "assessor": ("beoordelaar", "assessor"),
    "valid_until": ("geldig_tot", "valid_until", "vervaldatum"),
}
FIELDS = tuple(ALIASES)
REQUIRED = ("email", "name", "achievement")
# Column names as the template and the problem-rows download write them.
LABELS = {"email": "e-mail", "name": "naam", "achievement": "prestatie", "period": "periode",
          "result": "resultaat", "evidence_url": "bewijs_url", "evidence": "bewijs",
          "assessor": "beoordelaar", "valid_until": "geldig_tot"}
DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y")


@dataclass
class ParsedRow:
    line: int
    data: dict[str, str]
    errors: list[dict[str, str]] = field(default_factory=list)
    achievement: Achievement | None = None


@dataclass
class ParsedFile:
    rows: list[ParsedRow]
    encoding: str
    delimiter: str
    warnings: list[str]


def decode(raw: bytes) -> tuple[str, str, list[str]]:
    """UTF-8 (BOM or not) first; cp1252 (old Excel) with a warning."""
    if len(raw) > MAX_BYTES:
        raise ServiceError(_("Het bestand is groter dan %(mb)s MB. Splits het in kleinere "
                             "bestanden.", mb=MAX_BYTES // (1024 * 1024)), field="file")
    if b"\x00" in raw[:4096]:
        raise ServiceError(_("Dit is geen CSV-bestand. Kies in Excel 'Opslaan als' → "
                             "'CSV (gescheiden door lijstscheidingsteken)'."), field="file")
    try:
        return raw.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        return text, "cp1252", [_("Het bestand is niet in UTF-8 opgeslagen. We hebben het gelezen "
                                 "als Windows-tekst (cp1252); controleer letters als é en ë.")]


def sniff_delimiter(text: str) -> str:
    head = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(head, delimiters=";,\t").delimiter
    except csv.Error:
        first = head.split("\n", 1)[0]
        return ";" if first.count(";") >= first.count(",") else ","


def _norm_header(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().strip('"').lower())


def map_header(header: list[str]) -> tuple[dict[int, str], list[str]]:
    lookup = {alias: canon for canon, names in ALIASES.items() for alias in names}
    columns: dict[int, str] = {}
    warnings: list[str] = []
    for i, name in enumerate(header):
        canon = lookup.get(_norm_header(name))
        if canon is None or canon in columns.values():
            if name.strip():
                warnings.append(_("Kolom '%(name)s' gebruiken we niet.", name=name.strip()))
            continue
        columns[i] = canon
    missing = [LABELS[f] for f in REQUIRED if f not in columns.values()]
    if missing:
        raise ServiceError(_("Deze kolommen ontbreken: %(cols)s. Gebruik het voorbeeldbestand.",
                             cols=", ".join(missing)), field="file")
    return columns, warnings


def achievement_lookup(org: Organisation) -> dict[str, Achievement | None]:
    """uuid, keuzedeel code, crebo or exact name → the newest published version.

    A code or name that fits two different achievements maps to ``None``
    (ambiguous): the row must then name the achievement by its id.
    """
    found: dict[str, Achievement | None] = {}
    rows = db.session.scalars(
        db.select(Achievement)
        .where(Achievement.organisation_id == org.id,
               Achievement.state == AchievementState.PUBLISHED)
        .order_by(Achievement.version)
    )
    for a in rows:
        for key in (a.uuid, a.keuzedeel_code, a.crebo, a.name):
            if not key:
                continue
            key = key.strip().casefold()
            if key in found and (found[key] is None or cast(Achievement, found[key]).lineage != a.lineage):
                found[key] = None
            else:
                found[key] = a  # ordered by version: the newest version wins
    return found


@lru_cache(maxsize=1024)  # a file repeats a handful of dates thousands of times
def parse_date(value: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _lower(message: str) -> str:
    return message[:1].lower() + message[1:]


#: The columns each checked by one issuing rule (issuing/rules.py), as the form and API do.
COLUMN_RULES: dict[str, Callable[[str], rules.Message | None]] = {
    "email": rules.email_problem,
    "name": rules.name_problem,
    "evidence_url": rules.evidence_url_problem,
    "evidence": rules.narrative_problem,
    "result": rules.result_value_problem,
    "assessor": rules.assessor_problem,
    "period": rules.period_problem,
}


def check_row(row: ParsedRow, lookup: dict[str, Achievement | None], now: datetime) -> None:
    """Fill ``row.errors`` (and ``row.achievement``); messages say line, column and fix."""
    d = row.data

    def err(fname: str, message: str) -> None:
        row.errors.append({"field": fname, "message": _("Regel %(line)s, kolom %(col)s: %(msg)s",
                                                        line=row.line, col=LABELS[fname],
                                                        msg=message)})

    for fname, check in COLUMN_RULES.items():
        problem = check(d.get(fname, ""))
        if problem is not None:
            err(fname, _lower(str(problem)))
    if not d.get("achievement"):
        err("achievement", _("de prestatie ontbreekt (id, keuzedeelcode, crebo of naam)."))
    else:
        # The lookup holds only this organisation's published achievements
        # (rules.achievement_problem); a code or name may also be ambiguous.
        key = d["achievement"].strip().casefold()
        if key in lookup and lookup[key] is None:
            err("achievement", _("'%(v)s' past bij meer dan één prestatie; gebruik de id.",
                                 v=d["achievement"]))
        elif key not in lookup:
            err("achievement", _("'%(v)s' is geen gepubliceerde prestatie van deze organisatie.",
                                 v=d["achievement"]))
        else:
            row.achievement = lookup[key]
    if d.get("valid_until"):
        parsed = parse_date(d["valid_until"])
        if parsed is None:
            err("valid_until", _("'%(v)s' is geen datum; schrijf dd-mm-jjjj, bijvoorbeeld "
                                 "31-12-2030.", v=d["valid_until"]))
        elif (problem := rules.valid_until_problem(rules.end_of_day(parsed), now)) is not None:
            err("valid_until", _lower(str(problem)))


def parse(org: Organisation, raw: bytes) -> ParsedFile:
    """Read and check a whole file; raises ServiceError only for file-level problems."""
    text, encoding, warnings = decode(raw)
    if not text.strip():
        raise ServiceError(_("Het bestand is leeg."), field="file")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise ServiceError(_("De eerste regel met kolomnamen ontbreekt."), field="file") from exc
    columns, more = map_header(header)
    warnings += more
    lookup = achievement_lookup(org)
    now = utcnow()
    rows: list[ParsedRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    try:
        for line, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise ServiceError(_("Het bestand heeft meer dan %(n)s regels. Splits het in "
                                     "kleinere bestanden.", n=f"{MAX_ROWS:,}".replace(",", ".")),
                                   field="file")
            data = {columns[i]: c.strip() for i, c in enumerate(cells) if i in columns}
            row = ParsedRow(line, {f: data.get(f, "") for f in FIELDS})
            check_row(row, lookup, now)
            if row.achievement is not None and not row.errors:
                key = (normalise_email(row.data["email"]), row.achievement.lineage,
                       row.data["period"])
                if key in seen:
                    row.errors.append({"field": "row", "message": _(
                        "Regel %(line)s: dubbele regel, zelfde persoon, prestatie en periode als "
                        "regel %(first)s.", line=line, first=seen[key])})
                else:
                    seen[key] = line
            rows.append(row)
    except csv.Error as exc:
        raise ServiceError(_("Het bestand is geen geldige CSV (regel %(line)s): %(err)s",
                             line=reader.line_num, err=str(exc)), field="file") from exc
    if not rows:
        raise ServiceError(_("Het bestand heeft geen regels onder de kolomnamen."), field="file")
    return ParsedFile(rows, encoding, delimiter, warnings)


def template_csv() -> str:
    """An example file (``;``-separated with a BOM, so Excel opens it in columns)."""
    out = io.StringIO()
    writer = spreadsheet.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([LABELS[f] for f in FIELDS])
    writer.writerow(["vanessa@example.nl", "Vanessa de Vries", "K0123", "2026-P1", "goed",
                     "https://portfolio.example/vanessa", "Praktijkopdracht in de zorg",
                     "J. Jansen", "31-12-2030"])
    return "\ufeff" + out.getvalue()


def problems_csv(rows: list[Any]) -> str:
    """Invalid rows with their original cells and the problems, to correct and upload again."""
    out = io.StringIO()
    writer = spreadsheet.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["regel", *(LABELS[f] for f in FIELDS), "problemen"])
    for r in rows:
        writer.writerow([r.line, *(r.data.get(f, "") for f in FIELDS),
                         " | ".join(e["message"] for e in r.errors)])
    return "\ufeff" + out.getvalue()
