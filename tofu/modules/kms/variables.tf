variable "alias" {
  description = "Alias Vault's seal stanza names the key by (alias/...)."
  type        = string

  validation {
    condition     = can(regex("^alias/[A-Za-z0-9/_-]+$", var.alias)) && !startswith(var.alias, "alias/aws/")
    error_message = "alias must start with alias/ and not with the AWS-reserved alias/aws/."
  }
}

variable "description" {
  description = "What the key is for."
  type        = string
}

variable "deletion_window_in_days" {
  description = "Days a scheduled deletion can still be cancelled (losing this key loses Vault's data)."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30
    error_message = "deletion_window_in_days must be from 7 to 30."
  }
}
