output "cluster_name" {
  description = "EKS cluster name (known once the cluster exists)."
  value       = aws_eks_cluster.this.name
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_certificate_authority" {
  description = "Base64 CA certificate of the API endpoint."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "oidc_issuer_url" {
  description = "The cluster's OIDC issuer (IRSA trusts tokens it signs)."
  value       = aws_eks_cluster.this.identity[0].oidc[0].issuer
}

output "node_group_names" {
  description = "Managed node groups (general, and database where there are database nodes)."
  value       = concat([aws_eks_node_group.general.node_group_name], aws_eks_node_group.database[*].node_group_name)
}
