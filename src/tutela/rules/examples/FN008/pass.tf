resource "aws_lambda_function_url" "intake_parser" {
  function_name      = "intake-parser"
  authorization_type = "AWS_IAM"
}
