"""What a reviewer does to the open item: claims, actions, undo, unsaved text."""
