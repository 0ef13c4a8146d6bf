resource "aws_lambda_permission" "uploads" {
  statement_id   = "AllowUploadsBucket"
  action         = "lambda:InvokeFunction"
  function_name  = "intake-parser"
  principal      = "s3.amazonaws.com"
  source_arn     = "arn:aws:s3:::intake-uploads"
  source_account = "111122223333"
}

resource "aws_lambda_permission" "partner_account" {
  statement_id  = "AllowPartnerAccount"
  action        = "lambda:InvokeFunction"
  function_name = "intake-parser"
  principal     = "444455556666"
}
