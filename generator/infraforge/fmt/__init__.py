"""`infraforge fmt`: canonical layout for catalog and overlay YAML, comments kept."""
