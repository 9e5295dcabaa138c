variable "name" {
  description = "Name prefix for the VPC's resources."
  type        = string
}

variable "cluster_name" {
  description = "EKS cluster that uses the subnets (for the subnet discovery tags)."
  type        = string
}

variable "vpc_cidr" {
  description = "VPC address range, /16 to /20."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && can(regex("/(1[6-9]|20)$", var.vpc_cidr))
    error_message = "vpc_cidr must be an IPv4 CIDR block between /16 and /20."
  }
}

variable "nat_gateways" {
  description = "NAT gateways, one per AZ from the first; 0 leaves private subnets without egress."
  type        = number

  validation {
    condition     = var.nat_gateways >= 0 && var.nat_gateways <= 6
    error_message = "nat_gateways must be from 0 to 6."
  }
}
