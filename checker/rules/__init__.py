"""The rules engine: packs (data) loaded and merged, checks registered, findings stamped."""
