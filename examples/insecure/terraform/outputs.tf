output "alb_dns_name" {
  description = "Public hostname of the records API load balancer."
  value       = aws_lb.public.dns_name
}

output "records_bucket" {
  description = "Bucket of patient documents."
  value       = module.storage.bucket_ids["records"]
}

output "database_endpoint" {
  description = "Endpoint of the records database (private)."
  value       = module.database.endpoint
}

output "eks_cluster_name" {
  value = aws_eks_cluster.main.name
}

output "ecr_repository_urls" {
  value = { for name, repo in aws_ecr_repository.this : name => repo.repository_url }
}

output "cloudtrail_arn" {
  value = aws_cloudtrail.main.arn
}
