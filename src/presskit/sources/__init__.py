"""Project files in, validated releases out: YAML reading, validation, contacts, photos, checks, translations, the reading state."""
