"""Fetch one remote image safely: http(s) only, public addresses only, bounded in time and size."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

CHUNK = 64 * 1024
REDIRECTS = (301, 302, 303, 307, 308)
USER_AGENT = "socialwall-media/1.0 (+https://github.com/socialwall)"
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class FetchError(Exception):
    """An image that could not be fetched; the message says why, for a moderator."""


@dataclass(frozen=True)
class Limits:
    """What one fetch may do: redirect hops, total seconds, bytes, private addresses."""

    max_bytes: int = 8 * 1024 * 1024
    timeout: float = 15.0
    max_redirects: int = 3
    allow_private: bool = False
    allow_networks: tuple[Network, ...] = ()


@dataclass(frozen=True)
class Fetched:
    """The body of an image response and what its first bytes say it is."""

    data: bytes
    kind: str
    url: str


def sniff(head: bytes) -> str | None:
    """Name the image format from its first bytes, or None: the URL and headers are not trusted."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """Return the IPv4 address an IPv6 one carries (mapped, 6to4, NAT64), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_allowed(ip: IPAddress, limits: Limits) -> bool:
    """Return whether a connection to this address is allowed."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = embedded_ipv4(ip)
        if inner is not None and not address_allowed(inner, limits):
            return False
        ip = inner or ip
    if ip.is_multicast or ip.is_unspecified:
        return False
    if any(ip in network for network in limits.allow_networks):
        return True
    return limits.allow_private or ip.is_global


def check_address(address: str, limits: Limits) -> None:
    """Raise FetchError unless the address is one we may connect to."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if not address_allowed(ip, limits):
        raise FetchError(f"address {ip} is private, loopback, link-local or multicast; refused")


def _resolve(host: str, port: int, limits: Limits) -> str:
    """Resolve a host name and return its first allowed address."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {host}: {exc}") from None
    addresses = [str(info[4][0]) for info in infos]
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if address_allowed(ip, limits):
            return address
    if not addresses:
        raise FetchError(f"{host} has no address")
    raise FetchError(f"{host} resolves to {addresses[0]}, a private, loopback, link-local "
                     "or multicast address; refused")


def _pinned_socket(address: str, port: int, timeout: float | None,
                   limits: Limits) -> socket.socket:
    """Connect to an address checked now, then check the peer actually connected to."""
    check_address(address, limits)
    sock = socket.create_connection((address, port), timeout=timeout)
    try:
        check_address(str(sock.getpeername()[0]), limits)
    except FetchError:
        sock.close()
        raise
    return sock


class PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to one pre-checked address, whatever DNS says later."""

    def __init__(self, host: str, port: int, address: str, timeout: float,
                 limits: Limits) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address, self.limits = address, limits

    def connect(self) -> None:
        """Open the socket to the checked address."""
        self.sock = _pinned_socket(self.address, self.port, self.timeout, self.limits)


class PinnedHTTPS(http.client.HTTPSConnection):
    """An HTTPS connection to one pre-checked address, verifying the certificate of the host."""

    def __init__(self, host: str, port: int, address: str, timeout: float,
                 limits: Limits) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address, self.limits = address, limits

    def connect(self) -> None:
        """Open the socket to the checked address, then TLS with the host's name."""
        sock = _pinned_socket(self.address, self.port, self.timeout, self.limits)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError("took longer than the time allowed; gave up")
    return left


def _open(url: str, limits: Limits, deadline: float) -> tuple[http.client.HTTPConnection,
                                                               http.client.HTTPResponse]:
    """Send one GET, one hop, to a checked address; return the connection and response."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"only http and https addresses are fetched, not {parts.scheme or '?'}:")
    if not parts.hostname or parts.username or parts.password:
        raise FetchError("the address has no host, or holds credentials; refused")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError("the address has an invalid port") from None
    address = _resolve(parts.hostname, port, limits)
    kind = PinnedHTTPS if parts.scheme == "https" else PinnedHTTP
    conn = kind(parts.hostname, port, address, _left(deadline), limits)
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=~-._")
    if parts.query:
        path += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=~-._?")
    conn.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": "image/*",
                                       "Accept-Encoding": "identity"})
    if conn.sock is not None:
        conn.sock.settimeout(_left(deadline))
    return conn, conn.getresponse()


def _read_body(response: http.client.HTTPResponse, conn: http.client.HTTPConnection,
               limits: Limits, deadline: float) -> tuple[bytes, str]:
    """Stream the body under the byte cap and the deadline, checking its kind early."""
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding != "identity":
        raise FetchError(f"compressed body ({encoding}) refused")
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError(f"body of {int(declared)} bytes is over the cap of {limits.max_bytes}")
    body = bytearray()
    kind: str | None = None
    while True:
        if conn.sock is not None:
            conn.sock.settimeout(_left(deadline))
        chunk = response.read1(CHUNK)
        if not chunk:
            break
        body += chunk
        if len(body) > limits.max_bytes:
            raise FetchError(f"body is over the cap of {limits.max_bytes} bytes")
        if kind is None and len(body) >= 12:
            kind = sniff(bytes(body[:12]))
            if kind is None:
                raise FetchError("not a JPEG, PNG, GIF or WebP image (checked by content)")
        _left(deadline)
    kind = kind or sniff(bytes(body[:12]))
    if kind is None:
        raise FetchError("not a JPEG, PNG, GIF or WebP image (checked by content)")
    return bytes(body), kind


def fetch(url: str, limits: Limits) -> Fetched:
    """Fetch an image, following at most a few redirects, each hop checked; raise FetchError."""
    deadline = time.monotonic() + limits.timeout
    for _hop in range(limits.max_redirects + 1):
        try:
            conn, response = _open(url, limits, deadline)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            raise FetchError(f"cannot fetch: {type(exc).__name__}: {exc}") from None
        try:
            if response.status in REDIRECTS:
                location = response.getheader("Location")
                if not location:
                    raise FetchError(f"HTTP {response.status} without a Location")
                url = urljoin(url, location.strip())
                continue
            if response.status != 200:
                raise FetchError(f"HTTP {response.status}")
            data, kind = _read_body(response, conn, limits, deadline)
            return Fetched(data, kind, url)
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(f"cannot fetch: {type(exc).__name__}: {exc}") from None
        finally:
            conn.close()
    raise FetchError(f"more than {limits.max_redirects} redirects")
