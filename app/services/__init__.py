"""Reviewer and supervisor actions. Each is one transaction: it checks role and state, changes
the rows, and writes the audit entry; a refusal is audited too and raised as ActionRefused."""
