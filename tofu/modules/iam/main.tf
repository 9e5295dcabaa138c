# IRSA: an IAM OIDC provider for the cluster's issuer, then one role per ServiceAccount, each
# trusting exactly that namespace/name, with only the permissions its entry asks for.

locals {
  issuer       = replace(var.oidc_issuer_url, "https://", "")
  ebs_csi_role = "${var.name}-ebs-csi"
  # role name → the one ServiceAccount allowed to assume it
  subjects = merge(
    { for name, role in var.roles : name => "system:serviceaccount:${role.namespace}:${role.service_account}" },
    { (local.ebs_csi_role) = "system:serviceaccount:kube-system:ebs-csi-controller-sa" },
  )
  with_permissions = { for name, role in var.roles : name => role if role.s3_prefix != null || role.kms_unseal || role.volume_snapshots }
}

data "tls_certificate" "issuer" {
  url = var.oidc_issuer_url
}

resource "aws_iam_openid_connect_provider" "cluster" {
  url             = var.oidc_issuer_url
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = [data.tls_certificate.issuer.certificates[0].sha1_fingerprint]
}

data "aws_iam_policy_document" "trust" {
  for_each = local.subjects

  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.cluster.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:sub"
      values   = [each.value]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "irsa" {
  for_each = local.subjects

  name               = each.key
  assume_role_policy = data.aws_iam_policy_document.trust[each.key].json
}

resource "aws_iam_role_policy_attachment" "ebs_csi" {
  role       = aws_iam_role.irsa[local.ebs_csi_role].name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
}

data "aws_iam_policy_document" "permissions" {
  for_each = local.with_permissions

  # Barman's and Velero's bucket checks (HeadBucket) need s3:ListBucket without a prefix, so
  # listing is bucket-wide; objects are readable and writable only under the role's own prefix.
  dynamic "statement" {
    for_each = each.value.s3_prefix == null ? [] : [each.value.s3_prefix]
    content {
      sid       = "Bucket"
      effect    = "Allow"
      actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
      resources = [var.backup_bucket_arn]
    }
  }

  dynamic "statement" {
    for_each = each.value.s3_prefix == null ? [] : [each.value.s3_prefix]
    content {
      sid    = "OwnPrefix"
      effect = "Allow"
      actions = [
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts",
      ]
      resources = ["${var.backup_bucket_arn}/${statement.value}/*"]
    }
  }

  dynamic "statement" {
    for_each = each.value.kms_unseal ? [var.vault_kms_key_arn] : []
    content {
      sid       = "Unseal"
      effect    = "Allow"
      actions   = ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"]
      resources = [statement.value]
    }
  }

  # what Velero's AWS plugin needs to snapshot and restore EBS volumes
  dynamic "statement" {
    for_each = each.value.volume_snapshots ? [1] : []
    content {
      sid    = "VolumeSnapshots"
      effect = "Allow"
      actions = [
        "ec2:DescribeVolumes",
        "ec2:DescribeSnapshots",
        "ec2:CreateTags",
        "ec2:CreateVolume",
        "ec2:CreateSnapshot",
        "ec2:DeleteSnapshot",
      ]
      resources = ["*"]
    }
  }

  lifecycle {
    precondition {
      condition     = each.value.s3_prefix == null || var.backup_bucket_arn != null
      error_message = "Role ${each.key} writes backups but there is no backup bucket."
    }
    precondition {
      condition     = !each.value.kms_unseal || var.vault_kms_key_arn != null
      error_message = "Role ${each.key} unseals Vault but there is no KMS key (vault.kms_key_alias is null)."
    }
  }
}

resource "aws_iam_role_policy" "irsa" {
  for_each = local.with_permissions

  name   = "infraforge"
  role   = aws_iam_role.irsa[each.key].id
  policy = data.aws_iam_policy_document.permissions[each.key].json
}
