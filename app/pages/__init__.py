"""The pages of the steps and the start page."""
