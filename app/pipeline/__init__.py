"""The route from a raw webhook delivery to a pending review item.

normalize (per provider) -> checks -> lead + owner task -> draft + risk flags -> review item
"""
