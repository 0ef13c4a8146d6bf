resource "aws_lambda_permission" "any_topic" {
  statement_id  = "AllowSns"
  action        = "lambda:InvokeFunction"
  function_name = "notify-clinician"
  principal     = "sns.amazonaws.com"
}
