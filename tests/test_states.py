"""The state machines, pair by pair: every (from, to) of each kind's enum is allowed exactly
when the expected table below says so. The tables are written out here, apart from
``app.states``, so a change to a machine has to be made on purpose in both places."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from itertools import product

import pytest

from app.states import HANDOFFS, ITEMS, MESSAGES, TASKS, IllegalTransition, Machine
from db.vocab import HandoffStatus as H
from db.vocab import ItemStatus as I
from db.vocab import MessageStatus as M
from db.vocab import TaskStatus as T


@dataclass(frozen=True)
class Spec:
    machine: Machine
    initial: set[StrEnum]
    allowed: set[tuple[StrEnum, StrEnum]]
    terminal: set[StrEnum]


_DECIDE = (I.APPROVED, I.EDITED, I.REJECTED)
SPECS = {
    "review item": Spec(
        ITEMS,
        {I.DRAFTING, I.PENDING},
        {
            (I.DRAFTING, I.PENDING),
            (I.PENDING, I.IN_REVIEW),
            *((I.PENDING, to) for to in (*_DECIDE, I.ESCALATED)),
            (I.IN_REVIEW, I.PENDING),
            *((I.IN_REVIEW, to) for to in (*_DECIDE, I.ESCALATED)),
            *((I.ESCALATED, to) for to in _DECIDE),
            (I.ESCALATED, I.PENDING),
            *(
                (decided, to)
                for decided in (I.APPROVED, I.EDITED)
                for to in (I.PUBLISHED, I.QUEUED, I.FAILED, I.PENDING)
            ),
            (I.REJECTED, I.PENDING),
            (I.QUEUED, I.PUSHED),
            (I.QUEUED, I.FAILED),
            (I.QUEUED, I.PENDING),
            (I.FAILED, I.QUEUED),
        },
        {I.PUBLISHED, I.PUSHED},
    ),
    "message": Spec(MESSAGES, {M.QUEUED}, {(M.QUEUED, M.SENT), (M.QUEUED, M.FAILED)}, {M.SENT, M.FAILED}),
    "CRM handoff": Spec(
        HANDOFFS,
        {H.PENDING},
        {
            (H.PENDING, H.SENDING),
            (H.PENDING, H.CANCELLED),
            (H.SENDING, H.PUSHED),
            (H.SENDING, H.RETRYING),
            (H.SENDING, H.FAILED),
            (H.SENDING, H.SENDING),
            (H.RETRYING, H.SENDING),
            (H.FAILED, H.PENDING),
            (H.CANCELLED, H.PENDING),
        },
        {H.PUSHED},
    ),
    "owner task": Spec(TASKS, {T.OPEN}, {(T.OPEN, T.DONE)}, {T.DONE}),
}
PAIRS = [
    pytest.param(kind, source, target, id=f"{kind}:{source}->{target}")
    for kind, spec in SPECS.items()
    for source, target in product(spec.machine.states, repeat=2)
]


class Row:
    def __init__(self, status: str) -> None:
        self.status = status


@pytest.mark.parametrize(("kind", "source", "target"), PAIRS)
def test_a_move_succeeds_exactly_when_the_table_allows_it(kind: str, source: StrEnum, target: StrEnum) -> None:
    spec = SPECS[kind]
    row = Row(source.value)  # as loaded from the database: a plain string
    if (source, target) in spec.allowed:
        spec.machine.move(row, target)
        assert row.status == target
    else:
        with pytest.raises(IllegalTransition) as refused:
            spec.machine.move(row, target)
        assert row.status == source, "a refused move changes nothing"
        assert (refused.value.kind, refused.value.from_state, refused.value.to_state) == (kind, source, target)
        assert f"from {source.value} to {target.value}" in str(refused.value)
        assert isinstance(refused.value, ValueError)


@pytest.mark.parametrize("kind", SPECS)
def test_every_state_is_reachable_from_a_start_and_terminal_states_have_no_exits(kind: str) -> None:
    spec = SPECS[kind]
    assert spec.machine.initial == spec.initial
    reached, frontier = set(spec.initial), list(spec.initial)
    while frontier:
        state = frontier.pop()
        for target in spec.machine.states:
            if spec.machine.allows(state, target) and target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(spec.machine.states)
    exitless = {s for s in spec.machine.states if not any(spec.machine.allows(s, t) for t in spec.machine.states)}
    assert exitless == spec.terminal


@pytest.mark.parametrize("kind", SPECS)
def test_sources_name_every_state_that_may_move_to_a_target(kind: str) -> None:
    spec = SPECS[kind]
    for target in spec.machine.states:
        assert set(spec.machine.sources(target)) == {s for s, t in spec.allowed if t == target}


@pytest.mark.parametrize("kind", SPECS)
def test_an_unknown_stored_state_moves_nowhere(kind: str) -> None:
    machine = SPECS[kind].machine
    for target in machine.states:
        with pytest.raises(IllegalTransition):
            machine.move(Row("held"), target)  # the retired item state, or any other unknown value
