# API, audit and authenticator logs go to CloudWatch.
resource "aws_eks_cluster" "clinical" {
  name                      = "clinical"
  role_arn                  = "arn:aws:iam::111122223333:role/eks-cluster"
  enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]

  vpc_config {
    subnet_ids             = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
    endpoint_public_access = false
  }
}
