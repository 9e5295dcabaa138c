"""`infraforge cost`: a monthly estimate per tenant and environment from the rendered objects."""
