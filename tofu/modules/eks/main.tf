# The control plane (access entries only, no aws-auth ConfigMap), one general node group and,
# where the environment has database nodes, a second group that only tolerating pods use.

locals {
  node_policies = toset([
    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
  ])
  node_pool_label = "infraforge.io/node-pool"
}

data "aws_iam_policy_document" "cluster_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cluster" {
  name               = "${var.cluster_name}-cluster"
  assume_role_policy = data.aws_iam_policy_document.cluster_trust.json
}

resource "aws_iam_role_policy_attachment" "cluster" {
  role       = aws_iam_role.cluster.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"
}

resource "aws_eks_cluster" "this" {
  name     = var.cluster_name
  role_arn = aws_iam_role.cluster.arn
  version  = var.kubernetes_version

  vpc_config {
    subnet_ids              = var.subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = true
  }

  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = true
  }

  # EKS must keep its permissions until the cluster's own resources are gone
  depends_on = [aws_iam_role_policy_attachment.cluster]
}

data "aws_iam_policy_document" "node_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "node" {
  name               = "${var.cluster_name}-node"
  assume_role_policy = data.aws_iam_policy_document.node_trust.json
}

resource "aws_iam_role_policy_attachment" "node" {
  for_each = local.node_policies

  role       = aws_iam_role.node.name
  policy_arn = each.value
}

resource "aws_eks_node_group" "general" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "general"
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = var.subnet_ids
  ami_type        = "AL2023_x86_64_STANDARD"
  instance_types  = [var.nodes.instance_type]
  capacity_type   = var.nodes.capacity_type

  scaling_config {
    desired_size = var.nodes.count
    min_size     = var.nodes.count
    max_size     = max(var.nodes.count, 1)
  }

  update_config {
    max_unavailable = 1
  }

  labels = { (local.node_pool_label) = "general" }

  depends_on = [aws_iam_role_policy_attachment.node]
}

resource "aws_eks_node_group" "database" {
  count = var.database_nodes.count > 0 ? 1 : 0

  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "database"
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = var.subnet_ids
  ami_type        = "AL2023_x86_64_STANDARD"
  instance_types  = [var.database_nodes.instance_type]
  capacity_type   = var.database_nodes.capacity_type

  scaling_config {
    desired_size = var.database_nodes.count
    min_size     = var.database_nodes.count
    max_size     = var.database_nodes.count
  }

  update_config {
    max_unavailable = 1
  }

  labels = { (local.node_pool_label) = "database" }

  # keeps everything but database pods (which tolerate this taint) off these nodes
  taint {
    key    = local.node_pool_label
    value  = "database"
    effect = "NO_SCHEDULE"
  }

  depends_on = [aws_iam_role_policy_attachment.node]
}
