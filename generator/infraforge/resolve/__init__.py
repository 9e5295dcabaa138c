"""Stage 3: merge defaults, overlays, tenant, request and service into one unit per tenant × env."""
