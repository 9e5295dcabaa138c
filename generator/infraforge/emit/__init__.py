"""Serialisers that turn rendered, in-memory manifests into the bytes written to the GitOps repo."""
