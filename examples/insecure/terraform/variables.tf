variable "region" {
  description = "AWS region of the platform."
  type        = string
  default     = "us-east-1"
}

variable "project" {
  description = "Short project name, used as a prefix for resource names."
  type        = string
  default     = "patient-records"
}

variable "environment" {
  description = "Deployment environment (dev, staging, prod)."
  type        = string
  default     = "prod"
}

variable "owner" {
  description = "Team that owns the platform (tag `owner`)."
  type        = string
  default     = "records-platform-team"
}

variable "cost_center" {
  description = "Finance cost center (tag `cost_center`)."
  type        = string
  default     = "cc-4410"
}

variable "vpc_cidr" {
  description = "CIDR block of the platform VPC."
  type        = string
  default     = "10.40.0.0/16"
}

variable "public_subnets" {
  description = "Public subnets, by availability zone."
  type        = map(string)
  default = {
    us-east-1a = "10.40.0.0/24"
    us-east-1b = "10.40.1.0/24"
  }
}

variable "private_subnets" {
  description = "Private subnets, by availability zone."
  type        = map(string)
  default = {
    us-east-1a = "10.40.10.0/24"
    us-east-1b = "10.40.11.0/24"
  }
}

variable "db_instance_class" {
  description = "RDS instance class of the records database."
  type        = string
  default     = "db.t3.medium"
}

variable "db_master_password" {
  description = "Master password of the records database."
  type        = string
}

variable "db_backup_retention_days" {
  description = "Days of automated RDS backups."
  type        = number
  default     = 0
}

variable "log_retention_days" {
  description = "Retention of CloudWatch log groups, in days."
  type        = number
  default     = 30
}

variable "artifact_bucket" {
  description = "Bucket holding Lambda deployment packages (built by CI)."
  type        = string
  default     = "meridian-health-build-artifacts"
}

variable "records_indexer_version" {
  description = "Version of the records-indexer Lambda package to deploy."
  type        = string
  default     = "1.14.2"
}

variable "bastion_instance_type" {
  description = "Instance type of the bastion host."
  type        = string
  default     = "t3.micro"
}

variable "eks_version" {
  description = "Kubernetes version of the EKS cluster."
  type        = string
  default     = "1.29"
}

variable "ecr_repositories" {
  description = "Container repositories of the platform's images."
  type        = set(string)
  default     = ["records-api", "records-export-worker"]
}
