"""Approved CRM handoffs leaving the desk: the outbox sender and its adapters."""
