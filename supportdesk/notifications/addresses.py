"""Where a webhook may go: the URL's shape, and every address its host name resolves to.

Standard library only. The registration checks the shape (and literal addresses) for a quick
400; the delivery checks again at send time, resolves the name itself and connects to the
address it checked, so neither a DNS answer that changes after registration nor a redirect can
turn a webhook into a request to the hub's own network.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

SCHEMES = {"http": 80, "https": 443}
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # well-known prefix: judged by the IPv4 inside
LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")  # local use (RFC 8215): never public


class UnsafeURL(ValueError):
    """The URL may not receive webhooks. `code` is what the delivery log shows."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class Target:
    scheme: str
    host: str  # as written (a name, or an address without brackets): Host header, TLS SNI
    port: int
    path: str  # path and query, at least "/"


def _port(parts: SplitResult) -> int:
    try:
        port = parts.port
    except ValueError as exc:  # not a number, or outside 0-65535
        raise UnsafeURL("invalid-port") from exc
    if port == 0:
        raise UnsafeURL("invalid-port")
    return port or SCHEMES[parts.scheme]


def target_of(url: str) -> Target:
    """The parts of an http(s) URL without credentials; raises `UnsafeURL` otherwise."""
    if not url.isprintable() or any(char.isspace() for char in url):
        raise UnsafeURL("invalid-url")
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise UnsafeURL("invalid-scheme")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise UnsafeURL("credentials-in-url")
    host = parts.hostname or ""
    if not host:
        raise UnsafeURL("invalid-url")
    path = parts.path or "/"
    return Target(
        parts.scheme, host, _port(parts), f"{path}?{parts.query}" if parts.query else path
    )


def _embedded(address: Address) -> list[Address]:
    """IPv4 addresses carried inside an IPv6 one (mapped, 6to4, NAT64, Teredo)."""
    if not isinstance(address, ipaddress.IPv6Address):
        return []
    found: list[Address] = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)
    if address in NAT64:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def is_public(address: Address) -> bool:
    """Globally reachable unicast, and so is every IPv4 address embedded in it."""
    if isinstance(address, ipaddress.IPv6Address) and address in NAT64:
        return all(is_public(inner) for inner in _embedded(address))
    if isinstance(address, ipaddress.IPv6Address) and address in LOCAL_NAT64:
        return False
    if (
        not address.is_global
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or address.is_loopback
        or address.is_link_local
        or address.is_private
    ):
        return False
    return all(is_public(inner) for inner in _embedded(address))


def literal_address(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def is_local_name(host: str) -> bool:
    name = host.lower().rstrip(".")
    return name == "localhost" or name.endswith(".localhost")


def resolve(target: Target, *, allow_private: bool) -> list[Address]:
    """Every address the host resolves to, each checked; raises `UnsafeURL` when one of them is
    not public (unless `allow_private`) or the name does not resolve."""
    literal = literal_address(target.host)
    if literal is not None:
        found = [literal]
    else:
        try:
            infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise UnsafeURL("name-not-resolved") from exc
        found = list(
            dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos)
        )
    if not found:
        raise UnsafeURL("name-not-resolved")
    if not allow_private and not all(is_public(address) for address in found):
        raise UnsafeURL("address-not-allowed")
    return found
