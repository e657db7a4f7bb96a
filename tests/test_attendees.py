"""The attendee page: form, safe photo, rate limit, every post waiting for a moderator."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.conftest import write_config
from wall.config import load_config
from wall.uploads import UploadError, store_upload

EXTRA = """
[[sources]]
type = "attendees"
posts_per_client = 2
per_minutes = 10
"""


@pytest.fixture
def attend_app(tmp_path: Path) -> Any:
    from wall import create_app

    config = load_config(write_config(tmp_path, mode="post", async_mode="threading",
                                      extra=EXTRA))
    application = create_app(config, {"TESTING": True})
    yield application
    application.extensions["socialwall"].store.close()


def _token(client: Any) -> str:
    page = client.get("/attend")
    assert page.status_code == 200
    match = re.search(r'name="token" value="([^"]+)"', page.get_data(as_text=True))
    assert match
    return match.group(1)


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (640, 480), (200, 40, 40))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90°
    exif[0x010F] = "SecretCam"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_attendee_post_with_photo_waits_for_a_moderator(attend_app: Any) -> None:
    client = attend_app.test_client()
    token = _token(client)
    reply = client.post("/attend", data={
        "token": token, "name": "  Camille  ", "text": "Super stand ! #TestDays <b>hi</b>",
        "photo": (io.BytesIO(_jpeg_with_exif()), "me.jpg")}, content_type="multipart/form-data")
    assert reply.status_code == 201 and b"data-attend-sent" in reply.data
    store = attend_app.extensions["socialwall"].store
    assert store.posts("approved") == []
    [post] = store.posts("pending")
    assert post["author"] == "Camille" and post["text"] == "Super stand ! #TestDays <b>hi</b>"
    assert "attendee post: a moderator decides" in post["reasons"]
    path = Path(attend_app.instance_path) / post["media"][0]["url"].lstrip("/")
    with Image.open(path) as stored:
        assert stored.format == "JPEG" and stored.size == (480, 640)  # EXIF rotation applied
        assert not stored.getexif()  # metadata stripped
    served = client.get(post["media"][0]["url"])
    served.close()
    assert served.status_code == 200


def test_blocked_words_still_reach_the_queue_with_the_reason(attend_app: Any) -> None:
    client = attend_app.test_client()
    client.post("/attend", data={"token": _token(client), "name": "Bob", "text": "a scam"})
    [post] = attend_app.extensions["socialwall"].store.posts("pending")
    assert any("scam" in reason for reason in post["reasons"])


def test_each_client_is_rate_limited(attend_app: Any) -> None:
    client = attend_app.test_client()
    token = _token(client)
    codes = [client.post("/attend", data={"token": token, "name": "Ann", "text": f"hi {n}"})
             .status_code for n in range(3)]
    assert codes == [201, 201, 429]
    other = attend_app.test_client()
    reply = other.post("/attend", data={"token": _token(other), "name": "Zoe", "text": "yo"},
                       environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert reply.status_code == 201


@pytest.mark.parametrize(("data", "message"), [
    ({"name": "", "text": "hello"}, "your name"),
    ({"name": "Ann", "text": "x" * 281}, "at most 280"),
    ({"name": "Ann", "text": "hi", "photo": (io.BytesIO(b"<svg onload=alert(1)>"), "a.svg")},
     "not a photo"),
])
def test_bad_submissions_get_a_clear_message(attend_app: Any, data: dict[str, Any],
                                             message: str) -> None:
    client = attend_app.test_client()
    reply = client.post("/attend", data={"token": _token(client), **data},
                        content_type="multipart/form-data")
    assert reply.status_code == 400
    assert message in reply.get_data(as_text=True).lower()
    assert attend_app.extensions["socialwall"].store.posts("pending") == []


def test_a_form_without_its_token_is_refused(attend_app: Any) -> None:
    reply = attend_app.test_client().post("/attend", data={"name": "Ann", "text": "hi"})
    assert reply.status_code == 400


def test_no_attendee_source_means_no_page(client: Any) -> None:
    assert client.get("/attend").status_code == 404


def test_decompression_bomb_is_refused(tmp_path: Path) -> None:
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG")  # 81 MP, a few kB on disk
    with pytest.raises(UploadError):
        store_upload(out.getvalue(), tmp_path)
    assert not (tmp_path / "uploads").exists() or not any((tmp_path / "uploads").iterdir())


def test_behind_a_proxy_clients_are_told_apart_by_forwarded_for(tmp_path: Path) -> None:
    from wall import create_app

    extra = EXTRA.replace("per_minutes = 10", "per_minutes = 10\nproxies = 1")
    config = load_config(write_config(tmp_path, mode="post", async_mode="threading",
                                      extra=extra))
    application = create_app(config, {"TESTING": True})
    try:
        client = application.test_client()
        token = _token(client)

        def send(forwarded: str) -> int:
            return int(client.post("/attend", data={"token": token, "name": "A", "text": "hi"},
                                   headers={"X-Forwarded-For": forwarded}).status_code)

        # The leftmost hop is whatever the client claimed; our proxy appended the real one.
        assert [send("6.6.6.6, 10.0.0.1"), send("7.7.7.7, 10.0.0.1"),
                send("8.8.8.8, 10.0.0.1")] == [201, 201, 429]
        assert send("10.0.0.2") == 201
    finally:
        application.extensions["socialwall"].store.close()
