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
  default     = "db.t3.medium"
}

variable "allocated_storage" {
  description = "Storage, in GiB."
  type        = number
  default     = 200
}

variable "database_name" {
  description = "Name of the application database."
  type        = string
  default     = "records"
}

variable "master_username" {
  description = "Master user name."
  type        = string
  default     = "records_admin"
}

variable "master_password" {
  description = "Master password."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets of the DB subnet group."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups of the instance."
  type        = list(string)
}

variable "backup_retention_days" {
  description = "Days of automated backups."
  type        = number
  default     = 0
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
