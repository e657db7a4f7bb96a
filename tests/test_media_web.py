"""Image routes in process: QR code, initials avatars, the shareable card, reject for image."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

from tests.conftest import make_post, write_config
from wall.config import load_config
from wall.media.cards import render_card

ATTEND = 'call_to_action_url = "https://wall.example/attend"\n'


def decode_modules(png: bytes, box: int = 10) -> list[list[bool]]:
    """Read the dark/light modules of our QR image by sampling each box's centre."""
    image = Image.open(io.BytesIO(png)).convert("L")
    count = image.width // box
    return [[image.getpixel((c * box + box // 2, r * box + box // 2)) < 128
             for c in range(count)] for r in range(count)]


def expected_modules(text: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=2)
    code.add_data(text)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


@pytest.fixture
def attend_app(tmp_path: Path) -> Any:
    from wall import create_app

    path = write_config(tmp_path, mode="post", async_mode="threading")
    path.write_text(path.read_text().replace('language = "en"\n', 'language = "en"\n' + ATTEND))
    app = create_app(load_config(path), {"TESTING": True})
    yield app
    app.extensions["socialwall"].store.close()


def test_the_qr_code_holds_the_configured_call_to_action(attend_app: Any) -> None:
    reply = attend_app.test_client().get("/media/qr.png")
    assert reply.status_code == 200 and reply.mimetype == "image/png"
    assert decode_modules(reply.data) == expected_modules("https://wall.example/attend")
    page = attend_app.test_client().get("/screen/feed").get_data(as_text=True)
    assert "data-cta" in page and "wall.example/attend" in page


def test_without_a_url_the_qr_code_says_post_with_the_hashtag(client: Any) -> None:
    reply = client.get("/media/qr.png")
    assert decode_modules(reply.data) == expected_modules("#TestDays")
    for screen in ("feed", "highlights"):
        assert "#TestDays" in client.get(f"/screen/{screen}").get_data(as_text=True)


def test_an_author_without_avatar_gets_drawn_initials(app: Any, client: Any) -> None:
    post = app.extensions["socialwall"].pipeline.submit(
        make_post(author="Zoé Martin")).post
    assert post["avatar"].startswith("/media/initials/ZM-")
    with client.get(post["avatar"]) as reply:
        assert reply.status_code == 200 and reply.mimetype == "image/webp"
        assert Image.open(io.BytesIO(reply.data)).size == (256, 256)
    assert client.get("/media/initials/ZM-99.webp").status_code == 404
    assert client.get("/media/initials/..%2Fsecret_key.webp").status_code == 404


def test_the_share_card_is_a_png_for_moderators_only(app: Any, client: Any,
                                                     moderator_client: Any) -> None:
    post = app.extensions["socialwall"].pipeline.submit(make_post(
        author="Camille Martin", handle="@camille",
        text="The EV charging demo is brilliant " * 12 + "#TestDays")).post
    url = f"/api/posts/{post['id']}/card.png"
    assert client.get(url).status_code == 401
    reply = moderator_client.get(url)
    assert reply.status_code == 200 and reply.mimetype == "image/png"
    assert "attachment" in reply.headers["Content-Disposition"]
    assert Image.open(io.BytesIO(reply.data)).size == (1200, 630)
    assert moderator_client.get("/api/posts/999/card.png").status_code == 404


def test_render_card_draws_initials_and_wraps_long_words(tmp_path: Path) -> None:
    png = render_card({"author": "Ann", "handle": "@ann", "text": "x" * 900, "avatar": None},
                      "Wall", ("Tag",), tmp_path)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (1200, 630)
    # the text stops (with an ellipsis) above the footer instead of running into it
    band = image.crop((64, 505, 1136, 530)).convert("L")
    assert band.getextrema()[1] < 200
    text = image.crop((64, 230, 1136, 480)).convert("L")
    assert text.getextrema()[1] > 240


def test_a_moderator_rejects_a_post_for_its_image(app: Any, moderator_client: Any) -> None:
    wall = app.extensions["socialwall"]
    post = wall.pipeline.submit(make_post(media=["/media/demo/scenes/workshop.jpg"])).post
    assert post["status"] == "approved"
    reply = moderator_client.post(f"/api/posts/{post['id']}/reject_image")
    assert reply.status_code == 200
    rejected = reply.get_json()["post"]
    assert rejected["status"] == "rejected"
    assert "image rejected by Mo" in rejected["reasons"]
    events = wall.store.events_since(0, ["public", "moderators"]) or []
    assert [e.type for e in events][-2:] == ["post_removed", "post_decided"]
    assert moderator_client.post(f"/api/posts/{post['id']}/reject_image").status_code == 409
    anonymous = app.test_client().post(f"/api/posts/{post['id']}/reject_image")
    assert anonymous.status_code == 401
