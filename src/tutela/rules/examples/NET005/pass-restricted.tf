# Public endpoint kept, but only for the office and CI egress ranges.
resource "aws_eks_cluster" "tooling" {
  name     = "tooling"
  role_arn = "arn:aws:iam::111122223333:role/eks-cluster"

  vpc_config {
    subnet_ids              = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
    endpoint_private_access = true
    endpoint_public_access  = true
    public_access_cidrs     = ["203.0.113.0/24", "198.51.100.17/32"]
  }
}
