provider "aws" {
  region = var.aws_region
  # A prod tfvars file applied with dev credentials (or the reverse) stops here.
  allowed_account_ids = [var.aws_account_id]

  default_tags {
    tags = {
      "infraforge.io/environment" = var.environment
      "infraforge.io/cluster"     = var.cluster_name
      "managed-by"                = "opentofu"
    }
  }
}
