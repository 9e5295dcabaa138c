"""Infrastructure capabilities: what a tenant's `database`, `cache`, `messaging` and
`objectStorage` settings become in its namespace, how services are wired to them, and the
platform layer (operators, Vault, backups, monitoring, admission policies) they run on.

One module per capability renders that operator's custom resources as plain dicts from a
resolved unit; `wiring` (environment variables) and `network` (NetworkPolicies) connect services
to them; `platform_layer` renders the per-environment ArgoCD Applications installing operators.
"""
