# Every value here comes from environments/<env>.tfvars.json, which `infraforge render`
# generates from the overlay's spec.infrastructure, the Platform document and the rendered
# manifests. Edit the catalog and re-render; do not edit the tfvars files by hand.

variable "environment" {
  description = "Environment name (the overlay's metadata.name)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,19}$", var.environment))
    error_message = "environment must be a short lowercase name such as dev, staging or prod."
  }
}

variable "cluster_name" {
  description = "EKS cluster name (the Platform document's cluster for this environment)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.cluster_name))
    error_message = "cluster_name must be a DNS label (lowercase letters, digits, '-')."
  }
}

variable "kubernetes_version" {
  description = "EKS Kubernetes minor version, e.g. 1.33."
  type        = string

  validation {
    condition     = can(regex("^1\\.[0-9]+$", var.kubernetes_version))
    error_message = "kubernetes_version must be MAJOR.MINOR, e.g. 1.33."
  }
}

variable "aws_account_id" {
  description = "The only AWS account this environment may be applied to."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.aws_account_id))
    error_message = "aws_account_id must be 12 digits."
  }
}

variable "aws_region" {
  description = "AWS region of the cluster, the bucket and the KMS key."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.aws_region))
    error_message = "aws_region must look like eu-west-1."
  }
}

variable "vpc_cidr" {
  description = "VPC address range, /16 to /20 (subnets are carved out of it by fixed offsets)."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && can(regex("/(1[6-9]|20)$", var.vpc_cidr))
    error_message = "vpc_cidr must be an IPv4 CIDR block between /16 and /20."
  }
}

variable "nat_gateways" {
  description = "NAT gateways, one per AZ; the VPC spans max(2, nat_gateways) AZs."
  type        = number

  validation {
    condition     = var.nat_gateways == floor(var.nat_gateways) && var.nat_gateways >= 0 && var.nat_gateways <= 6
    error_message = "nat_gateways must be a whole number from 0 to 6."
  }
}

variable "nodes" {
  description = "The general-purpose managed node group."
  type = object({
    count         = number
    instance_type = string
    capacity_type = string
  })

  validation {
    condition     = contains(["ON_DEMAND", "SPOT"], var.nodes.capacity_type)
    error_message = "nodes.capacity_type must be ON_DEMAND or SPOT."
  }
  validation {
    condition     = var.nodes.count == floor(var.nodes.count) && var.nodes.count >= 0 && var.nodes.count <= 1000
    error_message = "nodes.count must be a whole number from 0 to 1000."
  }
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.nodes.instance_type))
    error_message = "nodes.instance_type must be an EC2 instance type such as t3.xlarge."
  }
}

variable "database_nodes" {
  description = "Dedicated, tainted nodes for databases; no node group when count is 0."
  type = object({
    count         = number
    instance_type = string
    capacity_type = string
  })

  validation {
    condition     = contains(["ON_DEMAND", "SPOT"], var.database_nodes.capacity_type)
    error_message = "database_nodes.capacity_type must be ON_DEMAND or SPOT."
  }
  validation {
    condition     = var.database_nodes.count == floor(var.database_nodes.count) && var.database_nodes.count >= 0 && var.database_nodes.count <= 1000
    error_message = "database_nodes.count must be a whole number from 0 to 1000."
  }
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.database_nodes.instance_type))
    error_message = "database_nodes.instance_type must be an EC2 instance type such as r6i.xlarge."
  }
}

variable "vault" {
  description = "Vault's storage backend, and the KMS alias it auto-unseals with (null: no key)."
  type = object({
    backend       = string
    kms_key_alias = string
  })

  validation {
    condition     = contains(["file", "raft"], var.vault.backend)
    error_message = "vault.backend must be file or raft."
  }
  validation {
    condition     = var.vault.kms_key_alias == null || can(regex("^alias/[A-Za-z0-9/_-]+$", var.vault.kms_key_alias))
    error_message = "vault.kms_key_alias must be null or start with alias/."
  }
  validation {
    condition     = var.vault.kms_key_alias == null || var.vault.backend == "raft"
    error_message = "Vault auto-unseals with KMS only on the raft backend."
  }
}

variable "backup_bucket" {
  description = "S3 bucket for Velero and database backups (created only when a role writes to it)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.backup_bucket))
    error_message = "backup_bucket must be a valid S3 bucket name."
  }
}

variable "irsa_roles" {
  description = "IAM roles for Kubernetes ServiceAccounts, by role name, as the rendered manifests annotate them."
  type = map(object({
    namespace        = string
    service_account  = string
    s3_prefix        = string
    kms_unseal       = bool
    volume_snapshots = bool
  }))

  validation {
    condition     = alltrue([for name in keys(var.irsa_roles) : can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", name))])
    error_message = "IAM role names are at most 64 characters of letters, digits and +=,.@_-."
  }
  validation {
    condition = alltrue([for role in values(var.irsa_roles) :
      can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", role.namespace)) &&
    can(regex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", role.service_account))])
    error_message = "Each role's namespace must be a DNS label and its service_account a DNS subdomain."
  }
  validation {
    condition = alltrue([for role in values(var.irsa_roles) :
    role.s3_prefix == null || can(regex("^[a-z0-9][a-z0-9._/-]*[a-z0-9]$", role.s3_prefix))])
    error_message = "s3_prefix must be null or a key prefix without leading or trailing '/'."
  }
}
