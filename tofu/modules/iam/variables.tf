variable "name" {
  description = "Name prefix for roles tofu/ owns itself (the EBS CSI driver's)."
  type        = string
}

variable "oidc_issuer_url" {
  description = "The EKS cluster's OIDC issuer URL."
  type        = string

  validation {
    condition     = startswith(var.oidc_issuer_url, "https://")
    error_message = "oidc_issuer_url must be an https URL."
  }
}

variable "roles" {
  description = "IRSA roles by name: the ServiceAccount that may assume each, and what it may do."
  type = map(object({
    namespace        = string
    service_account  = string
    s3_prefix        = string
    kms_unseal       = bool
    volume_snapshots = bool
  }))
}

variable "backup_bucket_arn" {
  description = "The backup bucket (null when no role writes backups)."
  type        = string
  default     = null
}

variable "vault_kms_key_arn" {
  description = "The KMS key Vault unseals with (null when Vault does not auto-unseal)."
  type        = string
  default     = null
}
