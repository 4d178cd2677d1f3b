"""Whom a request is counted against: the rate limits, the log-in throttle, the render queue.

An IPv4 address is one client. An IPv6 address counts as its /64 network: a home, a phone or a
rented server is given a whole /64 and can take a new address in it for every request, so
counting single IPv6 addresses would give every request an allowance of its own.
"""

from __future__ import annotations

import ipaddress


def network(address: str) -> str:
    """The address as counted: IPv4 as it is, IPv6 as its /64 (an IPv4-mapped one as IPv4)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def request_client() -> str:
    """The current request's client, as counted ('' outside a request: background work)."""
    from flask import has_request_context, request

    return network(request.remote_addr or "") if has_request_context() else ""
