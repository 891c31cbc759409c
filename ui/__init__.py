"""The PySide6 desktop: widgets, item models, dialogs and the controllers that wire them."""
