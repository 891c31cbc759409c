"""Read-only looks read-only: a decided item, or one open at another desk, shows why it is read
only instead of an approve hint, has its actions off, and viewing it writes nothing. Its flags
show without scrolling; a handoff's outbox folder is named."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select

from app.crm.adapters import OutboxFolder
from app.desk.types import FlagView
from app.services.claims import claim
from app.services.review import reject
from db.engine import Database
from db.models import AuditEntry, ReviewItem
from db.vocab import ItemKind
from tests.desk_fixtures import DeskFactory
from tests.fit import LAPTOP
from tests.helpers import make_actor
from tests.test_decisions_explained import DECIDED_VIEW, pending
from tests.test_desk_actions import wait_idle
from tests.test_desk_route import open_first
from ui.desktop import Desk


def audit_rows(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def review_actions_off(desk: Desk) -> bool:
    actions = desk.window.actions_
    return not any(a.isEnabled() for a in (actions.approve, actions.approve_edits, actions.reject, actions.escalate))


def test_a_decided_item_is_read_only_and_viewing_it_writes_nothing(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database)
    ana = make_actor(sqlite_database, "ana")
    (item,) = pending(sqlite_database, 1)
    reject(sqlite_database, ana, item.id, item.version, "spam", "Not a real lead.")
    with sqlite_database.read() as session:
        before = session.get(ReviewItem, item.id)
    rows = audit_rows(sqlite_database)
    desk.window.sidebar.setCurrentIndex(desk.window.views_model.index(DECIDED_VIEW))
    qtbot.waitUntil(lambda: desk.session.current is not None and desk.session.current.id == item.id)
    wait_idle(qtbot, desk)
    panel = desk.window.detail
    assert panel.edit_state.text() == "Decided — read only"
    assert "approves" not in panel.edit_state.text() and not panel.live_check.isVisibleTo(desk.window)
    assert panel.editor.isReadOnly() and not panel.use_version.isEnabled()
    assert review_actions_off(desk) and not desk.window.actions_.regenerate.isEnabled()
    assert audit_rows(sqlite_database) == rows, "viewing a decided item writes no audit row"
    with sqlite_database.read() as session:
        after = session.get(ReviewItem, item.id)
    assert (after.version, after.updated_at, after.claimed_by_id) == (before.version, before.updated_at, None)


def test_an_item_open_at_another_desk_says_whose_and_audits_no_refusal(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database)
    ana = make_actor(sqlite_database, "ana")
    row = 3
    target = desk.model.row_at(row).id
    claim(sqlite_database, ana, target)
    rows = audit_rows(sqlite_database)
    desk.window.select_row(row)
    qtbot.waitUntil(lambda: desk.session.current is not None and desk.session.current.id == target)
    wait_idle(qtbot, desk)
    panel = desk.window.detail
    qtbot.waitUntil(lambda: panel.edit_state.text() == "Open at ana's desk — read only")
    assert panel.editor.isReadOnly() and not panel.use_version.isEnabled() and review_actions_off(desk)
    assert audit_rows(sqlite_database) == rows, "looking at a held item is not a refused action"
    open_first(qtbot, desk)  # an item this desk holds: editable again, with its approve hint
    assert not panel.editor.isReadOnly() and "approves" in panel.edit_state.text()


def test_five_flags_show_without_scrolling_at_1280x720(
    qtbot, make_desk: DeskFactory, sqlite_database: Database
) -> None:
    desk = make_desk(sqlite_database)
    desk.window.resize(*LAPTOP)
    qtbot.waitUntil(lambda: desk.window.height() <= LAPTOP[1])
    panel, detail = desk.window.detail, desk.session.current
    assert detail is not None
    codes = ("pricing_promise", "complaint", "opt_out", "spam", "duplicate", "low_confidence")
    flags = tuple(FlagView(c, 3, f"reason {c}", f"evidence {c}", "client_text", None, None, "rule") for c in codes)
    panel.show_detail(replace(detail, flags=flags[:5]))
    view = panel.flags_view
    qtbot.waitUntil(lambda: view.rowViewportPosition(4) + view.rowHeight(4) <= view.viewport().height())
    assert not view.verticalScrollBar().isVisible()
    assert desk.window.height() <= LAPTOP[1]
    panel.show_detail(replace(detail, flags=flags))  # a sixth scrolls, the table stays that size
    qtbot.waitUntil(view.verticalScrollBar().isVisible)
    assert panel.flags_box.title() == "Risk flags (6)"


def test_the_crm_preview_names_the_outbox_folder(
    qtbot, make_desk: DeskFactory, sqlite_database: Database, tmp_path
) -> None:
    desk = make_desk(sqlite_database, events=60)
    folder = tmp_path / "crm-outbox"
    desk.context = replace(desk.context, crm=OutboxFolder(folder))
    open_first(qtbot, desk, ItemKind.CRM_HANDOFF)
    preview = desk.window.detail.crm_preview
    qtbot.waitUntil(lambda: str(folder) in preview.toPlainText())
    assert "Written to" in preview.toPlainText()
