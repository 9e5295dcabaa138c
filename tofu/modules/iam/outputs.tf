output "oidc_provider_arn" {
  description = "The cluster's IAM OIDC provider."
  value       = aws_iam_openid_connect_provider.cluster.arn
}

output "role_arns" {
  description = "ARN of each IRSA role from var.roles, by name."
  value       = { for name in keys(var.roles) : name => aws_iam_role.irsa[name].arn }
}

output "ebs_csi_role_arn" {
  description = "The EBS CSI driver's role."
  value       = aws_iam_role.irsa[local.ebs_csi_role].arn
}
