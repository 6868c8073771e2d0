"""Widgets shared by the pages: plots, the split timeline, the network drawing."""
