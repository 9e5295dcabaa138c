terraform {
  # OpenTofu 1.8 or newer (variable validation, data-source postconditions, `one()`).
  required_version = ">= 1.8.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.60"
    }
    # reads the EKS OIDC issuer's certificate for the IAM OIDC provider's thumbprint
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.0"
    }
  }
}
