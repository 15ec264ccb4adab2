"""Entry point for `python -m presskit`."""

from presskit.cli import main

if __name__ == "__main__":
    main()
