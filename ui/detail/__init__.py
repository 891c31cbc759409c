"""The selected item: client-safe editor, live diff, flags, internal record and timeline."""
