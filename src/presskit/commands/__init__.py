"""The commands besides build: new, serve and verify."""
