resource "aws_lambda_function_url" "report_builder" {
  function_name      = "report-builder"
  authorization_type = "NONE"
}
