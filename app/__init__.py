"""RNN Studio's desktop application: PySide6 pages over the engine. No numerical code here."""
