region      = "us-east-1"
environment = "prod"
owner       = "records-platform-team"
cost_center = "cc-4410"

vpc_cidr = "10.40.0.0/16"
public_subnets = {
  us-east-1a = "10.40.0.0/24"
  us-east-1b = "10.40.1.0/24"
}
private_subnets = {
  us-east-1a = "10.40.10.0/24"
  us-east-1b = "10.40.11.0/24"
}

# Corporate VPN egress range.
admin_cidr_blocks = ["10.20.0.0/16"]

db_instance_class        = "db.r6g.large"
db_backup_retention_days = 35
log_retention_days       = 365

records_indexer_version = "1.14.2"
eks_version             = "1.29"
