"""Periodic client reports (no Qt): the period rule (``periods``), the report note built from a
period's metric snapshots and lead outcomes (``note``), and marking a published note's
snapshots as reviewed proof (``proof``)."""
