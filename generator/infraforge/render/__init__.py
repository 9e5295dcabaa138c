"""Stage 4: resolved units → Kubernetes, ArgoCD and Backstage objects (as data, never text)."""
