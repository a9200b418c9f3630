"""The badge designer over HTTP: an employer designs a badge, and it is the badge everywhere:
the image URL, the form's preview, the passport, a share page, the baked PNG/SVG and the PDF."""

from __future__ import annotations

import io
import re

from defusedxml.ElementTree import fromstring
from PIL import Image

from badges.catalogue.models import Achievement
from badges.credentials import baking
from badges.kernel.db import db
from badges.kernel.media.badge_design import palette
from badges.verification.services import verify_upload
from tests.conftest import post_form
from tests.web.share.data import issue_to

EMPLOYER = "zorggroep-de-linde"
EMPLOYER_ADMIN = "opleiding@delinde.example"
BASE = f"/issuer/{EMPLOYER}"
LINDE_COLOUR = "#8b3a1f"
SVG_NS = "{http://www.w3.org/2000/svg}"
TOKEN_RE = re.compile(r"/s/([A-Za-z0-9_-]{32})")


def design_form(**extra):
    return {"kind": "open_badge", "name": "Tiltechnieken", "publish": "y",
            "description": "Je tilt en verplaatst cliënten veilig, met de juiste hulpmiddelen.",
            "design_template": "shield", "design_colour": palette(LINDE_COLOUR)[3],
            "design_icon": "hard-hat", "design_line1": "Veilig tillen", "design_line2": "Niveau 2",
            **extra}


def create(client, **extra):
    return post_form(client, f"{BASE}/achievements/new", design_form(**extra),
                     content_type="multipart/form-data")


def achievement(app, name="Tiltechnieken") -> Achievement:
    with app.app_context():
        return db.session.scalar(db.select(Achievement).filter_by(name=name))


def assert_safe_badge_svg(body: bytes) -> None:
    """Our own SVG: nothing that loads, links or runs; a title for screen readers."""
    root = fromstring(body)
    assert root.tag == f"{SVG_NS}svg" and root.get("width") == "512"
    tags = {el.tag.removeprefix(SVG_NS) for el in root.iter()}
    assert tags <= {"svg", "title", "g", "path", "circle", "rect", "line", "polyline",
                    "polygon", "ellipse", "text"}, tags
    for el in root.iter():
        for name, value in el.attrib.items():
            assert "href" not in name and not name.startswith("on"), name
            assert "url(" not in value and "http" not in value, value


class TestDesigner:
    def test_employer_designs_a_badge_and_it_is_the_badge_image(self, app, client, auth, demo):
        auth.login(EMPLOYER_ADMIN)
        form = client.get(f"{BASE}/achievements/new").get_data(as_text=True)
        for colour in palette(LINDE_COLOUR):  # the organisation's palette, named
            assert f'value="{colour}"' in form
        assert 'name="design_icon"' in form and "Bouwhelm" in form
        response = create(client)
        assert response.status_code == 302, response.get_data(as_text=True)
        a = achievement(app)
        assert a.details["design"] == {
            "template": "shield", "colour": palette(LINDE_COLOUR)[3], "icon": "hard-hat",
            "line1": "Veilig tillen", "line2": "Niveau 2"}
        image = client.get(f"/achievements/{a.uuid}/image")
        assert image.status_code == 200 and image.mimetype == "image/svg+xml"
        assert_safe_badge_svg(image.data)
        svg = image.get_data(as_text=True)
        assert palette(LINDE_COLOUR)[3] in svg and "Veilig tillen" in svg
        assert "<title>Tiltechnieken: Veilig tillen Niveau 2</title>" in svg
        # The edit form shows the design again.
        edit = client.get(f"{BASE}/achievements/{a.uuid}/edit").get_data(as_text=True)
        assert 'value="Veilig tillen"' in edit and '<option selected value="shield">' in edit

    def test_preview_renders_without_saving_and_refuses_what_is_not_offered(
            self, app, client, auth, demo):
        auth.login(EMPLOYER_ADMIN)
        ok = client.get(f"{BASE}/achievements/design-preview.svg", query_string={
            "template": "hexagon", "colour": palette(LINDE_COLOUR)[1], "icon": "users",
            "line1": "<script>x</script>", "name": "Teamwerk"})
        assert ok.status_code == 200 and ok.mimetype == "image/svg+xml"
        assert_safe_badge_svg(ok.data)
        assert "&lt;script&gt;" in ok.get_data(as_text=True)
        assert "default-src 'none'" in ok.headers["Content-Security-Policy"]
        for bad in ({"colour": "#00ff00"}, {"icon": "../../etc/passwd"}, {"template": "star"},
                    {"line1": "x" * 19}):
            response = client.get(f"{BASE}/achievements/design-preview.svg", query_string=bad)
            assert response.status_code == 400, bad
        assert achievement(app) is None

    def test_colour_outside_the_palette_is_refused_in_dutch(self, app, client, auth, demo):
        auth.login(EMPLOYER_ADMIN)
        response = create(client, design_colour="#00ff00")
        assert response.status_code == 422
        assert "Kies een kleur uit het palet van je organisatie." in response.get_data(as_text=True)

    def test_an_upload_still_wins_and_a_design_replaces_it_later(self, app, client, auth, demo):
        auth.login(EMPLOYER_ADMIN)
        upload = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4"/></svg>'
        response = create(client, image=(io.BytesIO(upload), "eigen.svg"))
        assert response.status_code == 302
        a = achievement(app)
        assert a.image == upload and "design" not in a.details
        assert client.get(f"/achievements/{a.uuid}/image").data == upload


class TestDesignedBadgeEverywhere:
    def test_passport_share_page_baked_png_and_pdf_show_the_design(
            self, app, client, auth, demo):
        auth.login(EMPLOYER_ADMIN)
        assert create(client).status_code == 302
        a = achievement(app)
        with app.app_context():
            cred = issue_to("vanessa@example.nl", "Vanessa de Groot", ["Tiltechnieken"],
                            org_slug=EMPLOYER)[0]
            caption = cred.document["credentialSubject"]["achievement"]["image"]["caption"]
            cred_uuid = cred.uuid
        assert caption == "Tiltechnieken: Veilig tillen Niveau 2"  # alt text travels along
        auth.logout()
        auth.login("vanessa@example.nl")
        image_url = f"/achievements/{a.uuid}/image"
        assert image_url in client.get(f"/passport/c/{cred_uuid}").get_data(as_text=True)
        # Its public page (the verify page, where /credentials/<id> leads people) shows it too.
        verify = client.get(f"/credentials/{cred_uuid}", follow_redirects=True)
        assert f'src="http://localhost{image_url}"' in verify.get_data(as_text=True)
        # A share page shows the badge, and its PNG is the design, sized for baking.
        page = post_form(client, "/passport/share/new", {
            "credentials": [f"c-{cred_uuid}"], "title": "Sollicitatie"}, follow_redirects=True)
        token = TOKEN_RE.search(page.get_data(as_text=True)).group(1)
        auth.logout()
        public = client.get(f"/s/{token}").get_data(as_text=True)
        assert image_url in public
        png = client.get(f"/s/{token}/{cred_uuid}.png")
        assert png.status_code == 200
        with Image.open(io.BytesIO(png.data)) as img:
            assert img.size == (512, 512)
            # The shield's colour is in the picture (not the initials circle).
            colour = palette(LINDE_COLOUR)[3]
            assert tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5)) in {
                px[:3] for _count, px in img.convert("RGBA").getcolors(1 << 20)}
        with app.app_context():
            assert baking.extract_png(png.data) and verify_upload(png.data)["verdict"] == "valid"
        svg = client.get(f"/s/{token}/{cred_uuid}.svg")
        assert "Veilig tillen" in svg.get_data(as_text=True)
        # The PDF overview carries the designed badge (a 512-pixel image) with its alt text.
        auth.login("vanessa@example.nl")
        pdf = client.get("/passport/export/skillspas.pdf")
        assert pdf.status_code == 200
        assert re.search(rb"/Width 512\b", pdf.data)
        assert b"Veilig tillen Niveau 2" in pdf.data


def test_the_demo_badges_come_from_the_designer(app, client, demo):
    with app.app_context():
        rows = db.session.scalars(db.select(Achievement).filter_by(version=1)).all()
        designed = {a.name: a.uuid for a in rows if (a.details or {}).get("design")}
    assert "Jeugdtrainer" in designed and len(designed) >= 20
    svg = client.get(f"/achievements/{designed['Jeugdtrainer']}/image")
    assert_safe_badge_svg(svg.data)
    assert "<title>Jeugdtrainer</title>" in svg.get_data(as_text=True)


def test_control_characters_in_the_name_or_text_do_not_break_the_badge(app, client, auth, demo):
    """Hostile text: a name and design lines with control characters (the forms take any
    text). The SVG was not well-formed XML (browsers show an error) and rendering its PNG
    raised, so the learner's PDF overview answered 500. Right-to-left marks and emoji stay."""
    auth.login(EMPLOYER_ADMIN)
    name = "Tillen\x0bveilig\u202e 😀"
    assert create(client, name=name, design_line1="a\x01b\x1f", design_line2="\u202eRTL 😀").status_code == 302
    a = achievement(app, name)
    svg = client.get(f"/achievements/{a.uuid}/image")
    assert_safe_badge_svg(svg.data)
    assert "ab" in svg.get_data(as_text=True) and "\u202eRTL 😀" in svg.get_data(as_text=True)
    with app.app_context():
        cred_uuid = issue_to("vanessa@example.nl", "Vanessa\x07 de Groot", [name], org_slug=EMPLOYER)[0].uuid
    # Without a design: the default badge with the initials is well-formed too.
    assert create(client, name="\x01Zonder ontwerp", design_template="").status_code == 302
    plain = client.get(f"/achievements/{achievement(app, chr(1) + 'Zonder ontwerp').uuid}/image")
    fromstring(plain.data)
    auth.logout()
    auth.login("vanessa@example.nl")
    assert client.get("/passport/export/skillspas.pdf").status_code == 200
    assert client.get(f"/passport/credentials/{cred_uuid}/certificaat.pdf").status_code == 200
    assert client.get(f"/passport/credentials/{cred_uuid}/download/png").status_code == 200
