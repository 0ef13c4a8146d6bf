# An EKS cluster whose API endpoint is public to 0.0.0.0/0 (the provider default).
resource "aws_eks_cluster" "platform" {
  name     = "platform"
  role_arn = "arn:aws:iam::111122223333:role/eks-cluster"
  version  = "1.30"

  vpc_config {
    subnet_ids = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  }
}
