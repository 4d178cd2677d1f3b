"""Whom a request is counted against: an IPv6 client by its /64, since it can take a new address
in it for every request (rate limits, the log-in throttle and the render queue count this)."""

from __future__ import annotations

import pytest
from web_helpers import password_checked_once

from poster_app.addresses import network
from poster_app.throttle import FREE


@pytest.mark.parametrize(
    ("address", "counted"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:fffe", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),  # the next /64: someone else
        ("::ffff:203.0.113.7", "203.0.113.7"),  # IPv4 through an IPv6 socket
        ("", ""),
        ("not an address", "not an address"),
    ],
)
def test_an_ipv6_client_counts_as_its_64(address, counted):
    assert network(address) == counted


def rotating(n: int) -> str:
    """The n-th address a client picks in its own /64."""
    return f"2001:db8:1:2::{n + 1:x}"


def test_new_addresses_in_one_64_share_the_render_allowance(make_app, tmp_path):
    client = make_app(tmp_path / "data", RATELIMIT_RENDER="3 per minute").test_client()

    def preview(address: str, text: str) -> int:
        # A new slogan each time: a preview served from the recent ones is not counted.
        url = f"/preview.png?text={text}"
        return client.get(url, environ_base={"REMOTE_ADDR": address}).status_code

    assert [preview(rotating(n), f"Hi+{n}") for n in range(4)] == [200, 200, 200, 429]
    assert preview("2001:db8:1:3::1", "Hi+there") == 200  # another /64 has its own


def test_new_addresses_in_one_64_share_the_log_in_throttle(client, editor, throttle_clock):
    def guess(n: int) -> int:
        with password_checked_once():  # what the throttle counts is tested: scrypt once
            return client.post(
                "/login",
                data={"name": f"name{n}", "password": "wrong guess"},  # a new name every time
                environ_base={"REMOTE_ADDR": rotating(n)},
            ).status_code

    assert [guess(n) for n in range(FREE + 1)] == [422] * FREE + [429]  # wrong, then wait
