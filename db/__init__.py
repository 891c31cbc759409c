"""Database layer: SQLAlchemy models, the engine factory, migrations and queries.

This package imports nothing of ``app`` or ``ui`` (an import-linter contract checks it).
"""
