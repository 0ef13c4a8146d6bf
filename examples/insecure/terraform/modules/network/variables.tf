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

variable "app_port" {
  description = "Port the application listens on behind the load balancer."
  type        = number
  default     = 8080
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default     = {}
}
