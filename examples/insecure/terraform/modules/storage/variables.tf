variable "name_prefix" {
  description = "Prefix of the bucket names."
  type        = string
}

variable "buckets" {
  description = "Buckets to create, by short name."
  type = map(object({
    data_classification = string
    versioning          = optional(bool, false)
  }))
}

variable "tags" {
  description = "Tags applied to every bucket."
  type        = map(string)
  default     = {}
}
