variable "name" {
  description = "Name prefix of the network resources."
  type        = string
}

variable "cidr_block" {
  description = "CIDR block of the VPC."
  type        = string
}

variable "public_subnets" {
  description = "Public subnet CIDRs by availability zone."
  type        = map(string)
}

variable "private_subnets" {
  description = "Private subnet CIDRs by availability zone."
  type        = map(string)
}

variable "admin_cidr_blocks" {
  description = "Networks allowed to reach the bastion over SSH."
  type        = list(string)
}

variable "app_port" {
  description = "Port the application listens on behind the load balancer."
  type        = number
  default     = 8080
}

variable "flow_log_retention" {
  description = "Retention of the VPC flow logs, in days."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
