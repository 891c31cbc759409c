"""AI drafting in the running desk, against a real local chat-completions server: drafts land
in the queue as they are written, the detail pane says how each draft was made, and a
reviewer can ask for a new version from the keyboard."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from app.ai.config import AiConfig
from db.engine import Database
from db.models import Draft
from db.vocab import ItemStatus
from tests.desk_fixtures import DeskFactory
from tests.fake_openai import FakeOpenAI, Reply, completion, draft_json, error, fake_openai, user_message
from tests.test_desk_guardrails import approve_by_keyboard
from ui.desktop import Desk
from ui.dialogs.regenerate import RegenerateDialog


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with fake_openai() as fake:
        yield fake


def ai_for(server: FakeOpenAI) -> AiConfig:
    return AiConfig(model="test-model", base_url=server.base_url, timeout_s=5, max_retries=0, concurrency=3)


def drafts_of(database: Database, item_id: int) -> list[Draft]:
    with database.read() as session:
        return list(session.scalars(select(Draft).where(Draft.review_item_id == item_id).order_by(Draft.version_no)))


def desk_on_an_ai_draft(qtbot, make_desk: DeskFactory, database: Database, server: FakeOpenAI) -> Desk:
    """A desk whose open item has its AI draft and is held by this reviewer."""
    desk = make_desk(database, events=6, ai=ai_for(server))
    qtbot.waitUntil(
        lambda: (
            desk.session.current is not None
            and desk.session.current.drafter == "ai"
            and desk.session.claimed
            and not desk.runner.busy
        )
    )
    return desk


def ask_for_new_draft(qtbot, desk: Desk, instruction: str) -> None:
    desk.window.queue.setFocus()
    qtbot.keyClick(desk.window.queue, Qt.Key.Key_G)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in desk.window.findChildren(RegenerateDialog)))
    dialog = next(d for d in desk.window.findChildren(RegenerateDialog) if d.isVisible())
    qtbot.keyClicks(dialog.instruction.lineEdit(), instruction)
    qtbot.keyClick(dialog.instruction.lineEdit(), Qt.Key.Key_Return)


def test_items_reach_the_queue_with_their_ai_draft_and_say_how_it_was_made(
    qtbot, make_desk: DeskFactory, sqlite_database: Database, server: FakeOpenAI
) -> None:
    desk = make_desk(sqlite_database, events=12, ai=ai_for(server))
    with sqlite_database.read() as session:
        waiting = session.scalar(select(func.count()).select_from(Draft).where(Draft.drafter == "offline-rules"))
    qtbot.waitUntil(lambda: desk.model.rowCount() == waiting)
    assert len(server.requests) == waiting
    panel = desk.window.detail
    detail = desk.session.current
    assert detail.drafter == "ai" and [v.version_no for v in detail.versions] == [2, 1]
    assert panel.provenance.text().startswith("Draft: AI · test-model · draft-v2")
    assert panel.tabs.tabText(2) == "Versions (2)" and panel.versions_model.rowCount() == 2
    qtbot.waitUntil(lambda: desk.window.ai_label.text() == "AI ready")  # nothing left drafting


def test_g_asks_for_a_new_draft_with_an_instruction_and_keeps_the_earlier_ones(
    qtbot, make_desk: DeskFactory, sqlite_database: Database, server: FakeOpenAI
) -> None:
    desk = desk_on_an_ai_draft(qtbot, make_desk, sqlite_database, server)
    item = desk.session.current.id
    asked = len(server.requests)
    server.queue(Reply(body=completion(draft_json(client_note="Short note: the team calls back Tuesday."))))
    ask_for_new_draft(qtbot, desk, "shorter, mention the Tuesday slot")
    qtbot.waitUntil(lambda: desk.session.current is not None and desk.session.current.draft_version == 3)
    # The model left out the template's opt-out wording: the desk put it back.
    assert desk.window.detail.editor.toPlainText() == "Short note: the team calls back Tuesday. Reply STOP to opt out."
    sent = user_message(server.requests[asked])
    assert "REVIEWER INSTRUCTION:\nshorter, mention the Tuesday slot" in sent
    versions = drafts_of(sqlite_database, item)
    assert [(d.version_no, d.status) for d in versions] == [(1, "superseded"), (2, "superseded"), (3, "current")]
    assert versions[2].instruction == "shorter, mention the Tuesday slot"
    assert desk.window.detail.versions_model.rowCount() == 3
    # The new version is what "A" approves now.
    approve_by_keyboard(qtbot, desk)
    qtbot.waitUntil(lambda: drafts_of(sqlite_database, item) and desk.session.current.id != item)


def test_a_failed_regeneration_says_why_and_changes_nothing(
    qtbot, make_desk: DeskFactory, sqlite_database: Database, server: FakeOpenAI
) -> None:
    desk = desk_on_an_ai_draft(qtbot, make_desk, sqlite_database, server)
    item = desk.session.current.id
    server.queue(error(500, "down", "server_error"))
    ask_for_new_draft(qtbot, desk, "friendlier")
    qtbot.waitUntil(lambda: "No new draft" in desk.window.notices.shown())
    assert "failed (500)" in desk.window.notices.shown()
    assert len(drafts_of(sqlite_database, item)) == 2
    assert desk.session.current.id == item and desk.session.current.status == ItemStatus.IN_REVIEW


def test_without_an_ai_server_new_drafts_are_not_offered(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database, events=6)
    action = desk.window.actions_.regenerate
    assert not action.isEnabled() and "Settings" in action.toolTip()
    assert desk.window.ai_label.text() == "offline drafts"
