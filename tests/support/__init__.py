"""What the tests share besides fixtures: making and building projects, reading outputs back, hostile inputs.

Importable as `support` because pyproject.toml puts tests/ on pytest's path (`pythonpath = ["tests"]`)."""
