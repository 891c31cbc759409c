"""The review queue: table model, view, sidebar of saved filters, and its controller."""
