"""The bulk upload form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired


class UploadForm(FlaskForm):
    file = FileField(
        _l("CSV-bestand"),
        description=_l("Opslaan in Excel als 'CSV (gescheiden door lijstscheidingsteken)'. "
                       "Hoogstens 5 MB en 20.000 regels."),
        validators=[FileRequired(_l("Kies een bestand.")),
                    FileAllowed(["csv", "txt"], _l("Kies een .csv-bestand."))],
    )
