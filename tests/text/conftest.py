"""Text tests run with the network unavailable: any connection attempt fails loudly,
proving that nothing (lexicon, translator, data) is downloaded at run time."""

from __future__ import annotations

import socket

import pytest


class NetworkBlocked(RuntimeError):
    pass


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise NetworkBlocked(f"network access attempted during a text test: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def fake_translator():
    """A deterministic stand-in translator that records its calls."""
    from augviz.text import use_translator

    calls = []

    def fake(texts, src, dst):
        calls.append((list(texts), src, dst))
        if dst == "en":
            return [t.replace("[pt] ", "").replace("not good", "bad") for t in texts]
        return ["[pt] " + t for t in texts]

    with use_translator(fake):
        yield calls
