# An asymmetric signing key: AWS cannot rotate it automatically (not applicable).
resource "aws_kms_key" "document_signing" {
  description              = "Signs discharge summaries"
  customer_master_key_spec = "RSA_3072"
  key_usage                = "SIGN_VERIFY"
  deletion_window_in_days  = 30
}
