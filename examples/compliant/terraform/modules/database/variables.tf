variable "identifier" {
  description = "RDS instance identifier."
  type        = string
}

variable "engine_version" {
  description = "PostgreSQL version."
  type        = string
  default     = "16.3"
}

variable "instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.r6g.large"
}

variable "allocated_storage" {
  description = "Initial storage, in GiB."
  type        = number
  default     = 200
}

variable "database_name" {
  description = "Name of the application database."
  type        = string
  default     = "records"
}

variable "master_username" {
  description = "Master user name; its password is generated and kept in Secrets Manager by RDS."
  type        = string
  default     = "records_admin"
}

variable "subnet_ids" {
  description = "Private subnets of the DB subnet group."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups of the instance."
  type        = list(string)
}

variable "backup_retention_days" {
  description = "Days of automated backups."
  type        = number
  default     = 35
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
