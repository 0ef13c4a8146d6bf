# Only API server logs: no audit or authenticator logs from the control plane.
resource "aws_eks_cluster" "analytics" {
  name                      = "analytics"
  role_arn                  = "arn:aws:iam::111122223333:role/eks-cluster"
  enabled_cluster_log_types = ["api"]

  vpc_config {
    subnet_ids             = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
    endpoint_public_access = false
  }
}
