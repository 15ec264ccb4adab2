"""presskit: press releases written in YAML, published as PDF, DOCX, HTML and feeds."""

__version__ = "0.1.0"
