"""Unsaved edits belong to the user who typed them: another user on the same data folder is
never offered them."""

from __future__ import annotations

import json
from pathlib import Path

from app.unsaved import UnsavedEdits


def test_another_user_on_the_same_folder_never_sees_the_text(tmp_path: Path) -> None:
    ana, ben = UnsavedEdits(tmp_path, "ana"), UnsavedEdits(tmp_path, "ben")
    ana.save(7, 3, "Ana's half-written note.")
    kept = ana.load(7)
    assert kept is not None and (kept.text, kept.owner) == ("Ana's half-written note.", "ana")
    assert ben.load(7) is None and ben.pending() == []
    assert ana.pending() == [7]
    ben.save(7, 3, "Ben's own words.")
    ben.discard(7)
    assert ana.load(7) is not None, "discarding one user's text leaves the other's"


def test_a_file_naming_another_owner_is_not_offered(tmp_path: Path) -> None:
    """Copied or planted into a user's folder, text typed by someone else is still not theirs."""
    ana = UnsavedEdits(tmp_path, "ana")
    ana.save(5, 1, "Mine.")
    path = next(ana.folder.glob("item-5.json"))
    path.write_text(json.dumps({**json.loads(path.read_text()), "owner": "ben"}), encoding="utf-8")
    assert ana.load(5) is None and ana.pending() == []


def test_logins_no_file_system_takes_still_get_their_own_folder(tmp_path: Path) -> None:
    odd = UnsavedEdits(tmp_path, "DOMAIN\\ana:/*?")
    odd.save(1, 1, "Still kept.")
    assert odd.folder.parent == tmp_path and odd.load(1) is not None
    assert UnsavedEdits(tmp_path, "DOMAIN\\ana").load(1) is None
