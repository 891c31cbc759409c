"""The state machines of the rows the desk moves: review items, messages, CRM handoffs and
owner tasks.

Each machine is a table, from-state -> the states it may move to, and every change of a row's
``status`` goes through its machine's ``move``, which refuses a move the table does not list.
A bulk SQL update that changes status by a WHERE clause says which transition it makes, and
its WHERE clause admits only the table's from-states for it (``sources``). Staying in a state
is not a move unless the table lists it (a CRM handoff's lapsed sending claim taken over by
another sender is one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, Protocol, TypeVar

from db.vocab import HandoffStatus, ItemStatus, MessageStatus, TaskStatus

S = TypeVar("S", bound=StrEnum)


class HasStatus(Protocol):
    status: str


class IllegalTransition(ValueError):
    """A row was asked to move where its state machine does not allow."""

    def __init__(self, kind: str, from_state: str, to_state: str) -> None:
        super().__init__(f"a {kind} cannot move from {from_state} to {to_state}")
        self.kind, self.from_state, self.to_state = kind, from_state, to_state


@dataclass(frozen=True)
class Machine(Generic[S]):
    kind: str  # in words, for errors: "review item"
    states: type[S]
    initial: frozenset[S]  # what a new row may start in
    transitions: Mapping[S, frozenset[S]]  # every state, with where it may go (terminal: nowhere)

    def allows(self, from_state: str, to_state: str) -> bool:
        # A StrEnum member is equal to (and hashes like) its stored string, so a row's plain
        # string status looks up its exits directly.
        return to_state in self.transitions.get(from_state, frozenset())  # type: ignore[call-overload]

    def move(self, row: HasStatus, to_state: S) -> None:
        """Set ``row.status`` to ``to_state``, or raise ``IllegalTransition`` changing nothing."""
        if not self.allows(row.status, to_state):
            raise IllegalTransition(self.kind, row.status, to_state)
        row.status = to_state

    def sources(self, to_state: S) -> tuple[S, ...]:
        """The states that may move to ``to_state``: the WHERE clause of a bulk update to it."""
        return tuple(s for s in self.states if to_state in self.transitions[s])


def _machine(kind: str, states: type[S], initial: set[S], transitions: dict[S, set[S]]) -> Machine[S]:
    missing = set(states) - transitions.keys()
    if missing:
        raise ValueError(f"the {kind} machine lists no exits for {sorted(missing)}")
    return Machine(kind, states, frozenset(initial), {s: frozenset(to) for s, to in transitions.items()})


_I = ItemStatus
_DECIDED = {_I.APPROVED, _I.EDITED, _I.REJECTED, _I.ESCALATED}
ITEMS = _machine(
    "review item",
    ItemStatus,
    {_I.DRAFTING, _I.PENDING},
    {
        _I.DRAFTING: {_I.PENDING},  # its AI draft, or the offline one, is in
        _I.PENDING: {_I.IN_REVIEW, *_DECIDED},  # claimed, or decided straight from the queue
        _I.IN_REVIEW: {_I.PENDING, *_DECIDED},  # claim given back or lapsed; decided
        # Only a supervisor decides it (reviewers are refused); undo returns it to the queue.
        _I.ESCALATED: {_I.APPROVED, _I.EDITED, _I.REJECTED, _I.PENDING},
        # Released after the undo window (published, queued, handed off), blocked at queueing
        # (failed), or undone.
        _I.APPROVED: {_I.PUBLISHED, _I.QUEUED, _I.FAILED, _I.PENDING},
        _I.EDITED: {_I.PUBLISHED, _I.QUEUED, _I.FAILED, _I.PENDING},
        _I.REJECTED: {_I.PENDING},  # undone
        # A CRM handoff's outcome, or its undo while no sender has taken its row.
        _I.QUEUED: {_I.PUSHED, _I.FAILED, _I.PENDING},
        _I.FAILED: {_I.QUEUED},  # a supervisor sends the failed handoff again
        _I.PUBLISHED: set(),
        _I.PUSHED: set(),
    },
)

_M = MessageStatus
MESSAGES = _machine(
    "message",
    MessageStatus,
    {_M.QUEUED},
    {
        _M.QUEUED: {_M.SENT, _M.FAILED},  # the automation layer's send
        _M.SENT: set(),
        _M.FAILED: set(),
    },
)

_H = HandoffStatus
HANDOFFS = _machine(
    "CRM handoff",
    HandoffStatus,
    {_H.PENDING},
    {
        _H.PENDING: {_H.SENDING, _H.CANCELLED},  # claimed by a sender; undone before that
        # Pushed, retried later, failed; or taken over by another sender once its lease lapsed.
        _H.SENDING: {_H.PUSHED, _H.RETRYING, _H.FAILED, _H.SENDING},
        _H.RETRYING: {_H.SENDING},
        _H.FAILED: {_H.PENDING},  # a supervisor's retry, with a new retry window
        _H.CANCELLED: {_H.PENDING},  # approved again: the same row (and key) goes out
        _H.PUSHED: set(),
    },
)

# Completed with an outcome; snoozing and calling back keep it open (they are not moves).
TASKS = _machine(
    "owner task", TaskStatus, {TaskStatus.OPEN}, {TaskStatus.OPEN: {TaskStatus.DONE}, TaskStatus.DONE: set()}
)
