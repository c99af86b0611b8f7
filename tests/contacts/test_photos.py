"""Photos: accepted by content, re-encoded without metadata, served with a fixed type."""

import io

from bs4 import BeautifulSoup
from PIL import Image

from tests.contacts.test_selfservice import form_values, login_as


def image_bytes(fmt="JPEG", size=(64, 48), exif=True) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "Kamerafabrikant"  # Make
        data[0x8825] = {2: (55.0, 40.0, 0.0)}  # GPS: where the photo was taken
        kwargs["exif"] = data.tobytes()
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def upload(client, data: bytes, filename: str):
    values = form_values(client)
    values["photo"] = (io.BytesIO(data), filename)
    return client.post("/min-profil", data=values, content_type="multipart/form-data")


def photo_error(response) -> str:
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return page.select_one("#photo-fejl").get_text(strip=True)


def test_photo_is_reencoded_without_metadata(client, auth, make_contact, get_profile):
    pid = make_contact()
    login_as(auth, get_profile, pid)
    assert upload(client, image_bytes("PNG"), "mig.png").status_code == 302
    response = client.get(f"/kontaktpersoner/{pid}/foto")
    assert response.mimetype == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    stored = Image.open(io.BytesIO(response.data))
    assert stored.format == "JPEG" and not stored.getexif()
    assert upload(client, image_bytes("JPEG"), "mig.jpg").status_code == 302
    stored = Image.open(io.BytesIO(client.get(f"/kontaktpersoner/{pid}/foto").data))
    assert not stored.getexif() and b"Kamerafabrikant" not in stored.tobytes()


def test_html_named_jpg_is_refused(client, auth, make_contact, get_profile):
    pid = make_contact()
    login_as(auth, get_profile, pid)
    response = upload(client, b"<html><script>alert(1)</script></html>", "foto.jpg")
    assert response.status_code == 400
    assert "ikke et billede" in photo_error(response)
    assert get_profile(pid)["photo"] is None


def test_svg_is_refused(client, auth, make_contact, get_profile):
    pid = make_contact()
    login_as(auth, get_profile, pid)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
    response = upload(client, svg, "foto.svg")
    assert response.status_code == 400 and get_profile(pid)["photo"] is None


def test_other_image_formats_are_refused(client, auth, make_contact, get_profile):
    pid = make_contact()
    login_as(auth, get_profile, pid)
    response = upload(client, image_bytes("GIF", exif=False), "foto.gif")
    assert response.status_code == 400 and "JPEG, PNG eller WebP" in photo_error(response)


def test_too_many_pixels_is_refused(client, auth, make_contact, get_profile):
    pid = make_contact()
    login_as(auth, get_profile, pid)
    big = image_bytes("PNG", size=(8000, 6000), exif=False)  # 48 Mpx, small file
    response = upload(client, big, "stor.png")
    assert response.status_code == 400 and "for mange pixel" in photo_error(response)
    assert get_profile(pid)["photo"] is None


def test_remove_photo(client, auth, make_contact, get_profile):
    pid = make_contact()
    login_as(auth, get_profile, pid)
    upload(client, image_bytes(), "mig.jpg")
    values = form_values(client)
    values["remove_photo"] = "y"
    client.post("/min-profil", data=values)
    assert client.get(f"/kontaktpersoner/{pid}/foto").status_code == 404
