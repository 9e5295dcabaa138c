"""InfraForge: compile a platform catalog into a rendered GitOps repository."""

__version__ = "0.1.0"
