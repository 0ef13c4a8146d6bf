variable "region" {
  type    = string
  default = "us-east-1"
}

variable "dr_region" {
  type    = string
  default = "us-west-2"
}

variable "name" {
  type    = string
  default = "claims"
}

variable "default_tags" {
  type = map(string)
  default = {
    data_classification = "ephi"
    owner               = "claims-platform"
  }
}

variable "log_retention_days" {
  type    = number
  default = 731
}

variable "buckets" {
  description = "Buckets holding claim documents, by purpose."
  type = map(object({
    retention_days = number
  }))
  default = {
    intake  = { retention_days = 2557 }
    archive = { retention_days = 3650 }
  }
}

variable "vpc_cidr" {
  type    = string
  default = "10.60.0.0/16"
}

variable "admin_cidr" {
  type    = string
  default = "10.20.0.0/16"
}
