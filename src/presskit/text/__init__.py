"""Text rules that need nothing else of presskit: typography, language data and dates, Markdown, URLs, tag slugs."""
