"""Renderers: one per output format. Only renderers produce what the user reads."""
