"""The owner-task inbox: its views, table, pane, commands and alerts."""
