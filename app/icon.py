"""The application's icon, read from resources/icons in every size that folder holds."""

from engine.files import carried_folder

ICONS = carried_folder("resources", "icons")
ICON_SIZES = (16, 32, 48, 64, 128, 256)


def application_icon():
    """The RNN Studio icon in every size that resources/icons holds (a QIcon)."""
    from PySide6.QtGui import QIcon

    icon = QIcon()
    for size in ICON_SIZES:
        path = ICONS / f"rnn-studio-{size}.png"
        if path.is_file():
            icon.addFile(str(path))
    return icon
