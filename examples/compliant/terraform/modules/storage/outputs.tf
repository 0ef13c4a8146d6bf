output "bucket_ids" {
  description = "Bucket names, by short name."
  value       = { for name, bucket in aws_s3_bucket.this : name => bucket.id }
}

output "bucket_arns" {
  description = "Bucket ARNs, by short name."
  value       = { for name, bucket in aws_s3_bucket.this : name => bucket.arn }
}
