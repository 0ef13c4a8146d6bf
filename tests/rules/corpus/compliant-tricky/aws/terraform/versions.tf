terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.60"
    }
  }
}

# Every resource is ePHI through the provider's default tags: data stores must use
# customer-managed keys even though none of them says so itself.
provider "aws" {
  region = var.region

  default_tags {
    tags = var.default_tags
  }
}

# The disaster-recovery region, passed explicitly to what lives there.
provider "aws" {
  alias  = "dr"
  region = var.dr_region

  default_tags {
    tags = var.default_tags
  }
}
