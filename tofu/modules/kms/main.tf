# Vault's auto-unseal key. The default key policy delegates to IAM, so the Vault role's own
# policy (modules/iam) is what grants Encrypt/Decrypt.

resource "aws_kms_key" "this" {
  description             = var.description
  key_usage               = "ENCRYPT_DECRYPT"
  enable_key_rotation     = true
  deletion_window_in_days = var.deletion_window_in_days
}

resource "aws_kms_alias" "this" {
  name          = var.alias
  target_key_id = aws_kms_key.this.key_id
}
