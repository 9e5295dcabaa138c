"""Checks over the rendered tree: schemas (kubeconform and in-process), Backstage, policies."""
