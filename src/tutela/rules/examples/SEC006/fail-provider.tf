provider "aws" {
  alias      = "legacy"
  region     = "us-east-1"
  access_key = "AKIAZ3MSJV4WQ7EXAMPL"
  secret_key = "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"
}
