"""A seed list of skills, labelled in Dutch, with ESCO-style codes.

Codes follow ESCO's transversal-skills hierarchy (T…) and skill groups (S…);
issuers can pick these or type their own.
"""

from __future__ import annotations

# (group, label, framework, code)
SKILLS: list[tuple[str, str, str, str]] = [
    ("Samenwerken en communiceren", "Samenwerken in een team", "ESCO", "T4.1"),
    ("Samenwerken en communiceren", "Mondeling communiceren", "ESCO", "T4.2"),
    ("Samenwerken en communiceren", "Klantgericht werken", "ESCO", "S1.2.1"),
    ("Samenwerken en communiceren", "Conflicten oplossen", "ESCO", "T4.3"),
    ("Samenwerken en communiceren", "Leidinggeven aan een groep", "ESCO", "T4.4"),
    ("Samenwerken en communiceren", "Begeleiden en coachen", "ESCO", "S1.5.2"),
    ("Samenwerken en communiceren", "Nederlands op B1-niveau", "ESCO", "T1.1"),
    ("Denken en leren", "Problemen oplossen", "ESCO", "T2.1"),
    ("Denken en leren", "Plannen en organiseren", "ESCO", "T3.2"),
    ("Denken en leren", "Zelfstandig leren", "ESCO", "T2.4"),
    ("Denken en leren", "Digitale basisvaardigheden", "ESCO", "T6.2"),
    ("Denken en leren", "Werken met cijfers", "ESCO", "T1.2"),
    ("Zelfstandigheid", "Discipline en doorzettingsvermogen", "ESCO", "T3.1"),
    ("Zelfstandigheid", "Verantwoordelijkheid nemen", "ESCO", "T3.3"),
    ("Zelfstandigheid", "Ondernemend werken", "ESCO", "T3.4"),
    ("Zorg en welzijn", "Ondersteunen bij persoonlijke verzorging", "ESCO", "S3.1.1"),
    ("Zorg en welzijn", "Hygiënisch werken", "ESCO", "S3.1.2"),
    ("Zorg en welzijn", "Signaleren van veranderingen bij een cliënt", "ESCO", "S3.1.3"),
    ("Zorg en welzijn", "Ondersteunen bij huishoudelijke taken", "ESCO", "S3.1.4"),
    ("Zorg en welzijn", "Rapporteren in een zorgdossier", "ESCO", "S3.1.5"),
    ("Zorg en welzijn", "Handelen bij een noodsituatie (BHV)", "ESCO", "S3.2.1"),
    ("Techniek en bouw", "Veilig werken (VCA)", "ESCO", "S6.1.1"),
    ("Techniek en bouw", "Metaal verspanen", "ESCO", "S6.2.1"),
    ("Techniek en bouw", "Lassen", "ESCO", "S6.2.2"),
    ("Techniek en bouw", "Technische tekeningen lezen", "ESCO", "S6.2.3"),
    ("Techniek en bouw", "Meten en controleren", "ESCO", "S6.2.4"),
    ("Techniek en bouw", "Werkvoorbereiding in de bouw", "ESCO", "S6.3.1"),
    ("Techniek en bouw", "Leerlingen begeleiden op de werkplek", "ESCO", "S6.3.2"),
    ("Administratie en handel", "Kassawerk en geld afrekenen", "ESCO", "S2.1.1"),
    ("Administratie en handel", "Voorraad beheren", "ESCO", "S2.1.2"),
    ("Administratie en handel", "Administratie bijhouden", "ESCO", "S2.2.1"),
    ("Administratie en handel", "Werken met Excel", "ESCO", "S2.2.2"),
    ("Sport en bewegen", "Trainingen geven aan jeugd", "ESCO", "S4.1.1"),
    ("Sport en bewegen", "Sportactiviteiten organiseren", "ESCO", "S4.1.2"),
]
