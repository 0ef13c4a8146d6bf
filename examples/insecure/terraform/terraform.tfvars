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

db_instance_class = "db.t3.medium"
# FAKE example value: this is the mistake being demonstrated, never a real credential.
db_master_password       = "Sup3r-Secret-Passw0rd!"
db_backup_retention_days = 0
log_retention_days       = 30

records_indexer_version = "1.14.2"
eks_version             = "1.29"
