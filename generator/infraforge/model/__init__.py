"""The catalog's typed model: one pydantic class per document kind, the JSON Schema source."""
