"""Stage 2: check documents against the model, the references between them and platform rules."""
