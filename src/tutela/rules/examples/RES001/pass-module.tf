variable "dr_region" {
  type    = string
  default = "us-west-2"
}

provider "aws" {
  alias  = "dr"
  region = var.dr_region
}

module "dr_archive" {
  source = "./modules/archive"

  providers = {
    aws = aws.dr
  }
}
