"""Hostile payloads: thousands of them, at every normalizer and through the poller.

Nothing may escape as an exception, every row ends processed, quarantined or held with a
reason, and neither reasons nor log lines carry raw payload text or CR/LF from input.
"""

from __future__ import annotations

import copy
import json
import logging
import string
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.pipeline.model import Quarantined, RawDelivery
from app.pipeline.normalizers import PROVIDERS, normalize
from app.pipeline.poller import PollConfig, drain
from db.engine import Database
from db.models import Client, WebhookEvent
from db.types import utcnow
from db.vocab import WebhookStatus

LIMIT = 64 * 1024
MARKER = "Zq9xRAWMARKER"  # a token we can look for in reasons and logs

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.just(MARKER),
    st.just(MARKER + "\r\nINFO forged line"),
    st.sampled_from(["\u202e", "\x00", "\ud7ff", "+13125550142", "2026-11-20T15:04:05Z", "yes"]),
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(string.ascii_letters + "_", max_size=20), children, max_size=6)
    ),
    max_leaves=30,
)
# Mostly plausible values of the wrong kind, sometimes outright hostile ones.
replacements = st.one_of(
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=60),
    st.integers(-(2**40), 2**40),
    st.none(),
    st.booleans(),
    st.floats(allow_nan=False),
    st.just(""),
    st.just([]),
    st.just({}),
    json_values,
)
# Keys the normalizers look for, so hypothesis reaches past the first check.
known_keys = st.sampled_from(
    [
        "fields",
        "submitted_at",
        "submission_id",
        "form_type",
        "consent",
        "utm",
        "customer_phone_number",
        "start_time",
        "answered",
        "voicemail",
        "first_call",
        "resource_id",
        "call_type",
        "lead_id",
        "user_column_data",
        "object",
        "entry",
        "eventNotifications",
        "rows",
        "CallSid",
        "CallStatus",
        "From",
        "To",
        "Body",
        "MessageSid",
    ]
)
shaped_objects = st.dictionaries(known_keys, json_values, max_size=10)


PAYLOADS = Path(__file__).parent / "payloads"


def _fixtures() -> list[tuple[str, object]]:
    """Every realistic fixture, decoded: (provider, JSON value or form dict)."""
    found: list[tuple[str, object]] = []
    for path in sorted(PAYLOADS.glob("*/*")):
        raw = path.read_bytes()
        if path.suffix == ".json":
            found.append((path.parent.name, json.loads(raw)))
        else:
            found.append((path.parent.name, dict(parse_qsl(raw.decode(), keep_blank_values=True))))
    return found


FIXTURES = _fixtures()


def _paths(value: object, prefix: tuple = ()) -> list[tuple]:
    paths = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            paths += _paths(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            paths += _paths(child, prefix + (index,))
    return paths


def _mutate(value: object, path: tuple, replacement: object, delete: bool) -> object:
    clone = copy.deepcopy(value)
    parent = clone
    for step in path[:-1]:
        parent = parent[step]  # type: ignore[index]
    if delete and isinstance(parent, dict):
        parent.pop(path[-1], None)
    else:
        parent[path[-1]] = replacement  # type: ignore[index]
    return clone


@st.composite
def mutated_fixture(draw: st.DrawFn) -> tuple[str, bytes]:
    """A realistic payload with one field, at any depth, made hostile, removed or retyped."""
    provider, value = draw(st.sampled_from(FIXTURES))
    paths = _paths(value)
    for _ in range(draw(st.integers(1, 3))):
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        value = _mutate(value, path, draw(replacements), draw(st.booleans()))
        paths = _paths(value)
    if isinstance(value, dict) and provider == "twilio":
        body = urlencode({k: v if isinstance(v, str) else json.dumps(v) for k, v in value.items()})
        return provider, body.encode("utf-8", "surrogatepass")
    return provider, json.dumps(value).encode("utf-8", "surrogatepass")


def bodies() -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.binary(max_size=300),
        json_values.map(lambda v: json.dumps(v).encode("utf-8", "surrogatepass")),
        shaped_objects.map(lambda v: json.dumps(v).encode("utf-8", "surrogatepass")),
        st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.builds(lambda n: b"[" * n + b"]" * n, st.integers(1, 3000)),
        st.dictionaries(known_keys, st.text(max_size=30), max_size=8).map(
            lambda d: "&".join(f"{k}={v}" for k, v in d.items()).encode("utf-8", "surrogatepass")
        ),
    )


def _payload_values(body: bytes) -> set[str]:
    """The string values a body carries (not its keys), long enough to recognise."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return set()
    try:
        decoded: object = json.loads(text)
    except RecursionError:
        return set()
    except ValueError:
        decoded = dict(parse_qsl(text, keep_blank_values=True))
    found: set[str] = set()
    stack = [decoded]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and len(item.strip()) >= 6 and not item.strip().isalpha():
            # Single words are vocabulary a reason may list ("expected Create or Update");
            # anything with a digit, a space or a symbol is data and must not be echoed.
            found.add(item.strip())
    return found


def _check_normalizer(provider: str, body: bytes) -> None:
    delivery = RawDelivery(provider, body, content_type="application/json", received_at=utcnow())
    try:
        events = normalize(delivery, LIMIT)
    except Quarantined as exc:
        assert exc.reason and MARKER not in exc.reason
        assert "\n" not in exc.reason and "\r" not in exc.reason
        echoed = [v for v in _payload_values(body) if v in exc.reason]
        assert not echoed, f"the reason echoes payload values: {echoed}"
        return
    for event in events:
        assert event.idempotency_key.startswith(provider + ":")
        assert len(event.idempotency_key) <= 160
        json.dumps(dict(event.data))  # storable as JSON


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(provider=st.sampled_from(PROVIDERS + ("nobody",)), body=bodies())
def test_normalizers_survive_random_bytes_and_shapes(provider: str, body: bytes) -> None:
    _check_normalizer(provider, body)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sample=mutated_fixture())
def test_normalizers_survive_realistic_payloads_with_a_hostile_field(sample: tuple[str, bytes]) -> None:
    _check_normalizer(*sample)


@pytest.fixture(scope="module")
def hostile_database(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("hostile") / "hostile.sqlite3"
    database = Database(f"sqlite:///{path}")
    from db.migrate import upgrade

    upgrade(database.engine)
    with database.write() as session:
        session.add(Client(slug="hostile", name="Hostile Co"))
    yield database
    database.dispose()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    batch=st.lists(
        st.one_of(st.tuples(st.sampled_from(PROVIDERS + ("nobody",)), bodies()), mutated_fixture()),
        min_size=1,
        max_size=25,
    )
)
def test_the_poller_keeps_every_hostile_row_and_logs_no_raw_text(
    hostile_database: Database,
    poll_config: PollConfig,
    batch: list[tuple[str, bytes]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    with hostile_database.write() as session:
        client_id = session.scalar(select(Client.id))
        rows = [
            WebhookEvent(
                provider=p,
                client_id=client_id,
                body=b,
                owner="intake",
                source=p,
                status=WebhookStatus.NEW,
                recovery="replay",
            )
            for p, b in batch
        ]
        session.add_all(rows)
        session.flush()
        ids = [r.id for r in rows]
    with caplog.at_level(logging.DEBUG):
        drain(hostile_database, poll_config)
    with hostile_database.read() as session:
        outcomes = session.execute(
            select(WebhookEvent.status, WebhookEvent.error).where(WebhookEvent.id.in_(ids))
        ).all()
    assert len(outcomes) == len(batch), "no row is lost"
    for status, error in outcomes:
        assert status in (WebhookStatus.PROCESSED, WebhookStatus.QUARANTINED, WebhookStatus.HELD)
        if status != WebhookStatus.PROCESSED:
            assert error and MARKER not in error
    for record in caplog.records:
        message = record.getMessage()
        assert MARKER not in message


def test_an_unexpected_error_is_described_without_its_message() -> None:
    from app.pipeline.errors import where

    try:
        {}["secret " + MARKER]
    except KeyError as exc:
        described = where(exc)
    assert described.startswith("KeyError at tests/test_hostile_input.py:")
    assert MARKER not in described
