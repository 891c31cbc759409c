"""Dialogs: reject, cheat sheet, settings, identity."""
