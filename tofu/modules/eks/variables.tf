variable "cluster_name" {
  description = "EKS cluster name."
  type        = string
}

variable "kubernetes_version" {
  description = "Kubernetes minor version, e.g. 1.33."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets (at least two AZs) for the control plane's interfaces and the nodes."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "EKS needs subnets in at least two availability zones."
  }
}

variable "nodes" {
  description = "The general-purpose node group."
  type = object({
    count         = number
    instance_type = string
    capacity_type = string
  })
}

variable "database_nodes" {
  description = "The database node group (labelled and tainted); none when count is 0."
  type = object({
    count         = number
    instance_type = string
    capacity_type = string
  })
}
