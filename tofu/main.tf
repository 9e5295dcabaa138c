# One environment: VPC → EKS (+ database nodes) → IRSA roles, with the Vault unseal key and
# the backup bucket only where the rendered manifests use them.

locals {
  name = "infraforge-${var.environment}"
  # roles that write backups; without any, the environment needs no bucket
  backup_writers = [for name, role in var.irsa_roles : name if role.s3_prefix != null]
}

module "network" {
  source = "./modules/network"

  name         = local.name
  cluster_name = var.cluster_name
  vpc_cidr     = var.vpc_cidr
  nat_gateways = var.nat_gateways
}

module "eks" {
  source = "./modules/eks"

  cluster_name       = var.cluster_name
  kubernetes_version = var.kubernetes_version
  subnet_ids         = module.network.private_subnet_ids
  nodes              = var.nodes
  database_nodes     = var.database_nodes
}

module "kms" {
  source = "./modules/kms"
  count  = var.vault.kms_key_alias == null ? 0 : 1

  alias       = var.vault.kms_key_alias
  description = "Vault auto-unseal for ${var.cluster_name}"
}

module "s3" {
  source = "./modules/s3"
  count  = length(local.backup_writers) > 0 ? 1 : 0

  bucket = var.backup_bucket
}

module "iam" {
  source = "./modules/iam"

  name              = local.name
  oidc_issuer_url   = module.eks.oidc_issuer_url
  roles             = var.irsa_roles
  backup_bucket_arn = one(module.s3[*].bucket_arn)
  vault_kms_key_arn = one(module.kms[*].key_arn)
}

# Volumes for PostgreSQL, RabbitMQ, Redis and MinIO are EBS volumes provisioned through the
# EBS CSI driver, which needs its own IRSA role.
resource "aws_eks_addon" "ebs_csi" {
  cluster_name             = module.eks.cluster_name
  addon_name               = "aws-ebs-csi-driver"
  service_account_role_arn = module.iam.ebs_csi_role_arn

  depends_on = [module.eks]
}
