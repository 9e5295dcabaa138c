output "cluster_name" {
  description = "EKS cluster name."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint."
  value       = module.eks.cluster_endpoint
}

output "oidc_provider_arn" {
  description = "IAM OIDC provider of the cluster (the principal of every IRSA role)."
  value       = module.iam.oidc_provider_arn
}

output "irsa_role_arns" {
  description = "ARN of each IRSA role, by name (the rendered manifests annotate these)."
  value       = module.iam.role_arns
}

output "vault_kms_key_arn" {
  description = "KMS key Vault auto-unseals with (null when Vault does not auto-unseal)."
  value       = one(module.kms[*].key_arn)
}

output "backup_bucket" {
  description = "Backup bucket name (null when nothing in this environment writes backups)."
  value       = one(module.s3[*].bucket_name)
}
