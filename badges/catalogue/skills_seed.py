"""A seed list of skills, labelled in Dutch, with the ESCO concept each one is where there is one.

A skill is only labelled ESCO when its meaning is the ESCO concept's; the others are framework
"Skillspas" (our own list; typed-in skills have framework "") and point to their page here
(``/skills/<id>``). The codes this list had before (T4.1, S1.2.1, ...) were not ESCO's: ESCO's
S1.2.1 is "coordinating activities with others", not customer focus.

Every ESCO URI below was checked against ESCO's own CSV exports (copies in public repositories,
pinned by commit; tests/web/catalogue/esco_skills_extract.csv holds the rows, with ESCO's
licence, and the test there keeps this list to them): the concept exists with that UUID, its
English ``preferredLabel`` is the recorded ``esco_label``, it is a KnowledgeSkillCompetence of
ESCO's skills pillar, and it is in the current release, ESCO v1.2.0.

Sources, as keys in the table:

- v1.2: victoriano/future-of-work-data @ e6aa2f1f73448dcde7927d77ce260a693a543bf8,
  ``data/raw/esco/1.2.0/``: ``{transversal,digital,language}SkillsCollection_en.csv`` (URI,
  label, skillType); ``broaderRelationsSkillPillar_en.csv`` and ``skillGroups_en.csv`` (that
  the concept is in v1.2.0, and under which skill groups) for every URI below.
- v1.1: MoffApps/Skills @ 8db814875575457edaed9232267a1cfbc2232e1e, ``skills_en.csv``.
- v1.0: MiguelMF-Coder/MatchKey-GenAI-Maverick @ 1a851ff454e19114c7f87026cc2a9b7b7219dfc2,
  ``data/esco/skills_en.csv`` (13,485 skills: ESCO v1.0).
- v1.0t: MohamedGouaouri/esco @ 381d16fb6ae1c22f7c7b16a0631dbdc4bada5e8d,
  ``{transversal,language}SkillsCollection_en.csv``.

=========================================  =====================================  ====================
Skill                                      ESCO preferredLabel (skillType)        URI + label in
=========================================  =====================================  ====================
Samenwerken in een team                    work in teams                          v1.2 v1.1 v1.0 v1.0t
Klantgericht werken                        ensure client orientation              v1.1 v1.0
Conflicten oplossen                        apply conflict management              v1.1 v1.0
Leidinggeven aan een groep                 lead others                            v1.2 v1.1 v1.0 v1.0t
Begeleiden en coachen                      mentor individuals                     v1.1 v1.0
Nederlands op B1-niveau                    Dutch (knowledge: the language)        v1.2 v1.1 v1.0 v1.0t
Problemen oplossen                         solve problems                         v1.2 v1.1
Digitale basisvaardigheden                 have computer literacy                 v1.2 v1.1 v1.0
Werken met cijfers                         apply numeracy skills                  v1.1 v1.0
Discipline en doorzettingsvermogen         show determination                     v1.2 v1.1
Verantwoordelijkheid nemen                 assume responsibility                  v1.2 v1.1
Ondernemend werken                         show entrepreneurial spirit            v1.2 v1.1 v1.0
Hygiënisch werken                          apply hygiene standards                v1.2 v1.1
Veilig werken (VCA)                        apply health and safety standards      v1.1 v1.0
Lassen                                     operate welding equipment              v1.1 v1.0
Technische tekeningen lezen                read engineering drawings              v1.1 v1.0
Meten en controleren                       use measurement instruments            v1.1 v1.0
Administratie bijhouden                    maintain professional administration   v1.1 v1.0
Werken met Excel                           use spreadsheets software              v1.2 v1.1 v1.0 v1.0t
=========================================  =====================================  ====================

All are skill/competence except "Dutch": ESCO's concept for a language is a knowledge concept
(group L1 languages, T1.1 mastering languages); the level (B1) is ours, in the label.

Four concepts this list had before are not in ESCO v1.2.0 and were replaced by the current
concept that means the same (migration c3e5a7b9d1f2 moves stored rows along):
"ensure customer orientation" (5b0f2198-…, only in v1.1) became "ensure client orientation";
"persist" (f60b0a50-…, v1.0) became "show determination", whose v1.2 alternative labels
include "persist"; "follow hygienic work practices" (6816e28f-…, v1.0) became "apply hygiene
standards", whose v1.2 alternative labels include it; "use welding equipment" (2ee57de4-…,
v1.0/v1.1) became "operate welding equipment". ESCO's Dutch labels (skills_nl.csv) were not
found in any public copy, so the Dutch meaning was judged from the English label and
description.
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
              ESCO + "b7c8f418-08d5-45d6-b697-ab26c6ecbfb4", "ensure client orientation"),
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
              ESCO + "19a64e91-bfe3-4c48-9225-3bb1229b12f0", "show determination"),
    SeedSkill("Zelfstandigheid", "Verantwoordelijkheid nemen",
              ESCO + "199f7919-5114-41b6-b6a5-41e0e4896ec1", "assume responsibility"),
    SeedSkill("Zelfstandigheid", "Ondernemend werken",
              ESCO + "bdcf429c-5ccf-4c3d-bb61-4c987573a35e", "show entrepreneurial spirit"),
    SeedSkill("Zorg en welzijn", "Ondersteunen bij persoonlijke verzorging"),
    SeedSkill("Zorg en welzijn", "Hygiënisch werken",
              ESCO + "d9449998-c1f5-478c-a103-2255398cf0b6", "apply hygiene standards"),
    SeedSkill("Zorg en welzijn", "Signaleren van veranderingen bij een cliënt"),
    SeedSkill("Zorg en welzijn", "Ondersteunen bij huishoudelijke taken"),
    SeedSkill("Zorg en welzijn", "Rapporteren in een zorgdossier"),
    SeedSkill("Zorg en welzijn", "Handelen bij een noodsituatie (BHV)"),
    SeedSkill("Techniek en bouw", "Veilig werken (VCA)",
              ESCO + "dcc96a49-0bac-4a9c-8f8e-a32b4e47e6eb", "apply health and safety standards"),
    SeedSkill("Techniek en bouw", "Metaal verspanen"),
    SeedSkill("Techniek en bouw", "Lassen",
              ESCO + "2fcd95a4-1f9a-41cf-95a9-4701bde476b4", "operate welding equipment"),
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
