variable "name_prefix" {
  description = "Prefix of the bucket names."
  type        = string
}

variable "buckets" {
  description = <<-EOT
    Buckets to create, by short name. `log_writer` is the service principal that
    delivers logs into the bucket, if any. The bucket named "access-logs" receives
    the server access logs of the others.
  EOT
  type = map(object({
    data_classification = string
    sse_algorithm       = string
    kms_key_arn         = optional(string)
    access_logging      = optional(bool, true)
    log_writer          = optional(string)
    object_lock_days    = optional(number)
  }))
}

variable "tags" {
  description = "Tags applied to every bucket."
  type        = map(string)
  default     = {}
}
