"""The fetcher against a real HTTP server on loopback: addresses, redirects, time and size."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Iterator

import pytest

from tests.media_corpus import HTML, SVG, ImageServer, photo
from wall.media.fetch import FetchError, Limits, address_allowed, fetch

LOOPBACK = Limits(allow_private=True, timeout=10)
# 127.0.0.2 stands in for "a public server" (nothing else is reachable here): with private
# addresses refused, only that one address is allowed, so redirects elsewhere must fail.
PUBLIC_STAND_IN = Limits(allow_private=False, timeout=10,
                         allow_networks=(ipaddress.ip_network("127.0.0.2/32"),))


@pytest.fixture
def server() -> Iterator[ImageServer]:
    stand_in = ImageServer()
    yield stand_in
    stand_in.close()


@pytest.fixture
def public_server() -> Iterator[ImageServer]:
    stand_in = ImageServer("127.0.0.2")
    yield stand_in
    stand_in.close()


def test_a_good_image_is_fetched_and_recognised_by_content(server: ImageServer) -> None:
    body = photo((64, 48))
    url = server.add("/no-extension", body, content_type="text/plain")
    got = fetch(url, LOOPBACK)
    assert got.data == body
    assert got.kind == "jpeg"


@pytest.mark.parametrize("address, private_ok, allowed", [
    ("127.0.0.1", False, False), ("10.1.2.3", False, False), ("192.168.1.1", False, False),
    ("169.254.169.254", False, False), ("100.64.0.1", False, False), ("::1", False, False),
    ("fe80::1", False, False), ("fd00::1", False, False), ("::ffff:127.0.0.1", False, False),
    ("2002:a9fe:a9fe::1", False, False), ("64:ff9b::a9fe:a9fe", False, False),
    ("64:ff9b::5db8:d822", False, True), ("::ffff:93.184.216.34", False, True),
    ("224.0.0.1", True, False), ("0.0.0.0", True, False), ("93.184.216.34", False, True),
    ("2606:4700::1111", False, True), ("127.0.0.1", True, True), ("10.1.2.3", True, True),
])
def test_address_ranges(address: str, private_ok: bool, allowed: bool) -> None:
    ip = ipaddress.ip_address(address)
    assert address_allowed(ip, Limits(allow_private=private_ok)) is allowed


def test_loopback_is_refused_by_default(server: ImageServer) -> None:
    url = server.add("/a.jpg", photo((32, 32)))
    with pytest.raises(FetchError, match="private, loopback"):
        fetch(url, Limits())
    assert server.hits == []


@pytest.mark.parametrize("target", [
    "http://127.0.0.1:{port}/a.jpg", "http://169.254.169.254/latest/meta-data/",
    "http://[::1]:{port}/a.jpg", "http://localhost:{port}/a.jpg",
])
def test_redirects_to_private_addresses_are_refused(public_server: ImageServer,
                                                    server: ImageServer, target: str) -> None:
    server.add("/a.jpg", photo((32, 32)))
    port = server.base.rsplit(":", 1)[1]
    start = time.monotonic()
    with pytest.raises(FetchError, match="private, loopback|refused"):
        fetch(public_server.redirect_to(target.format(port=port)), PUBLIC_STAND_IN)
    assert server.hits == []  # the private server never saw a request
    print(f"refused {target} in {time.monotonic() - start:.3f}s")


def test_an_allowed_redirect_is_followed_one_hop_at_a_time(public_server: ImageServer) -> None:
    body = photo((32, 32))
    final = public_server.add("/final.jpg", body)
    hop2 = public_server.redirect_to(final)
    got = fetch(public_server.redirect_to(hop2), PUBLIC_STAND_IN)
    assert got.data == body and got.url == final


def test_too_many_redirects(server: ImageServer) -> None:
    url = server.add("/x.jpg", photo((8, 8)))
    for _ in range(4):
        url = server.redirect_to(url)
    with pytest.raises(FetchError, match="more than 3 redirects"):
        fetch(url, LOOPBACK)


@pytest.mark.parametrize("body", [SVG, HTML], ids=["svg", "html"])
def test_svg_and_html_served_as_png_are_refused(server: ImageServer, body: bytes) -> None:
    url = server.add("/image.png", body, content_type="image/png")
    with pytest.raises(FetchError, match="not a JPEG, PNG, GIF or WebP"):
        fetch(url, LOOPBACK)


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "streamed"])
def test_a_body_over_the_cap_is_refused(server: ImageServer, declared: bool) -> None:
    body = photo((64, 64)) + b"\0" * 3_000_000
    url = server.add("/big.jpg", body, declare_length=declared)
    with pytest.raises(FetchError, match="over the cap"):
        fetch(url, Limits(allow_private=True, max_bytes=1_000_000))


def test_a_slow_drip_server_is_cut_at_the_deadline(server: ImageServer) -> None:
    url = server.add("/drip.jpg", photo((64, 64)), drip=0.05)
    start = time.monotonic()
    with pytest.raises(FetchError, match="longer than the time allowed|timed out"):
        fetch(url, Limits(allow_private=True, timeout=1.5))
    took = time.monotonic() - start
    print(f"slow drip cut after {took:.2f}s (deadline 1.5s)")
    assert took < 5  # far below the ~30 s the drip would take


@pytest.mark.parametrize("url, message", [
    ("ftp://127.0.0.1/a.jpg", "only http and https"),
    ("file:///etc/passwd", "only http and https"),
    ("http://user:pw@127.0.0.1/a.jpg", "credentials"),
    ("http://no-such-host.invalid/a.jpg", "cannot resolve"),
])
def test_bad_addresses(url: str, message: str) -> None:
    with pytest.raises(FetchError, match=message):
        fetch(url, LOOPBACK)


def test_compressed_bodies_and_errors_are_refused(server: ImageServer) -> None:
    gz = server.add("/gz.jpg", photo((8, 8)), headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="compressed"):
        fetch(gz, LOOPBACK)
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(server.base + "/missing.jpg", LOOPBACK)
