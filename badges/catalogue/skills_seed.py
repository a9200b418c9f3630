"""A seed list of skills, labelled in Dutch, with the ESCO concept each one is where there is one.

ESCO concept URIs (``http://data.europa.eu/esco/skill/<uuid>``) were looked up in ESCO's own
CSV export (English, v1.1/v1.2): the ``conceptUri`` and ``preferredLabel`` columns of
``skills_en.csv`` (copy in github.com/MoffApps/Skills, commit 8db8148) and of
``transversalSkillsCollection_en.csv`` / ``languageSkillsCollection_en.csv`` (copy in
github.com/MohamedGouaouri/esco, commit 381d16f), and cross-checked against other public
repositories citing the same URI with the same label where one was found. A skill is only
labelled ESCO when its meaning is the ESCO concept's; the others are framework "Skillspas"
(our own list; typed-in skills have framework "") and point to their page here (``/skills/<id>``). The codes this list had before (T4.1, S1.2.1, ...)
were not ESCO's: ESCO's S1.2.1 is "coordinating activities with others", not customer focus.
"""

from __future__ import annotations

from typing import NamedTuple

ESCO = "http://data.europa.eu/esco/skill/"


class SeedSkill(NamedTuple):
    group: str
    label: str
    #: ESCO concept URI, or "" when no ESCO concept means the same
    esco_uri: str = ""
    #: ESCO's English preferred label, recorded to check the mapping by eye
    esco_label: str = ""


SKILLS: list[SeedSkill] = [
    SeedSkill("Samenwerken en communiceren", "Samenwerken in een team",
              ESCO + "60c78287-22eb-4103-9c8c-28deaa460da0", "work in teams"),
    SeedSkill("Samenwerken en communiceren", "Mondeling communiceren"),
    SeedSkill("Samenwerken en communiceren", "Klantgericht werken",
              ESCO + "5b0f2198-7246-4256-a902-4d9ce1260c80", "ensure customer orientation"),
    SeedSkill("Samenwerken en communiceren", "Conflicten oplossen",
              ESCO + "0ee94af1-b445-4973-9c3f-459fab250342", "apply conflict management"),
    SeedSkill("Samenwerken en communiceren", "Leidinggeven aan een groep",
              ESCO + "75d8e5d9-bef3-418b-9011-01bff9f27207", "lead others"),
    SeedSkill("Samenwerken en communiceren", "Begeleiden en coachen",
              ESCO + "a584a638-a2c0-4b3c-bdf3-a64f87225be9", "mentor individuals"),
    # The ESCO concept is the language; the level (B1) is ours, in the label.
    SeedSkill("Samenwerken en communiceren", "Nederlands op B1-niveau",
              ESCO + "cad4f44b-28a8-4448-86e5-7389e5ebf3eb", "Dutch"),
    SeedSkill("Denken en leren", "Problemen oplossen",
              ESCO + "adc6dc11-3376-467b-96c5-9b0a21edc869", "solve problems"),
    SeedSkill("Denken en leren", "Plannen en organiseren"),
    SeedSkill("Denken en leren", "Zelfstandig leren"),
    SeedSkill("Denken en leren", "Digitale basisvaardigheden",
              ESCO + "d15ce60f-ddab-41ce-ba56-398451b77b60", "have computer literacy"),
    SeedSkill("Denken en leren", "Werken met cijfers",
              ESCO + "5dd01a1e-7ba0-4b7f-a76c-ed811c12bfde", "apply numeracy skills"),
    SeedSkill("Zelfstandigheid", "Discipline en doorzettingsvermogen",
              ESCO + "f60b0a50-2e7b-46f8-9b9c-2809b10991f9", "persist"),
    SeedSkill("Zelfstandigheid", "Verantwoordelijkheid nemen",
              ESCO + "199f7919-5114-41b6-b6a5-41e0e4896ec1", "assume responsibility"),
    SeedSkill("Zelfstandigheid", "Ondernemend werken",
              ESCO + "bdcf429c-5ccf-4c3d-bb61-4c987573a35e", "show entrepreneurial spirit"),
    SeedSkill("Zorg en welzijn", "Ondersteunen bij persoonlijke verzorging"),
    SeedSkill("Zorg en welzijn", "Hygiënisch werken",
              ESCO + "6816e28f-a48d-41c7-8492-309f50c049fc", "follow hygienic work practices"),
    SeedSkill("Zorg en welzijn", "Signaleren van veranderingen bij een cliënt"),
    SeedSkill("Zorg en welzijn", "Ondersteunen bij huishoudelijke taken"),
    SeedSkill("Zorg en welzijn", "Rapporteren in een zorgdossier"),
    SeedSkill("Zorg en welzijn", "Handelen bij een noodsituatie (BHV)"),
    SeedSkill("Techniek en bouw", "Veilig werken (VCA)",
              ESCO + "dcc96a49-0bac-4a9c-8f8e-a32b4e47e6eb", "apply health and safety standards"),
    SeedSkill("Techniek en bouw", "Metaal verspanen"),
    SeedSkill("Techniek en bouw", "Lassen",
              ESCO + "2ee57de4-bffd-4194-b009-0060edec77cc", "use welding equipment"),
    SeedSkill("Techniek en bouw", "Technische tekeningen lezen",
              ESCO + "b07daddc-8625-4360-946e-ad2b0e56ebf6", "read engineering drawings"),
    SeedSkill("Techniek en bouw", "Meten en controleren",
              ESCO + "b92758d4-4591-4df1-9ceb-f907aa71ebd9", "use measurement instruments"),
    SeedSkill("Techniek en bouw", "Werkvoorbereiding in de bouw"),
    SeedSkill("Techniek en bouw", "Leerlingen begeleiden op de werkplek"),
    SeedSkill("Administratie en handel", "Kassawerk en geld afrekenen"),
    SeedSkill("Administratie en handel", "Voorraad beheren"),
    SeedSkill("Administratie en handel", "Administratie bijhouden",
              ESCO + "8ebb2c0a-0baa-43bf-95cf-094047c57427", "maintain professional administration"),
    SeedSkill("Administratie en handel", "Werken met Excel",
              ESCO + "1973c966-f236-40c9-b2d4-5d71a89019be", "use spreadsheets software"),
    SeedSkill("Sport en bewegen", "Trainingen geven aan jeugd"),
    SeedSkill("Sport en bewegen", "Sportactiviteiten organiseren"),
]

#: The recorded mapping: every ESCO URI this service signs for a seeded skill.
ESCO_URIS: dict[str, str] = {s.label: s.esco_uri for s in SKILLS if s.esco_uri}
