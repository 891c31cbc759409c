"""The desk's operations: every read and write a desktop window performs, as plain functions
taking the database, the actor and plain values.

``ui/`` calls only these (and the data types of ``app.desk.types``); it imports no SQLAlchemy,
no engine and no query module. The actions return a ``Changes`` value saying what changed and
what to tell the reviewer, which the desk's one dispatcher routes to the panes.
"""
