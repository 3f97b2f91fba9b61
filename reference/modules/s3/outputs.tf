output "bucket_name" {
  description = "Name of the WASM bucket (`<name>-wasm`)."
  value       = aws_s3_bucket.wasm.bucket
}

output "bucket_arn" {
  description = "ARN of the WASM bucket."
  value       = aws_s3_bucket.wasm.arn
}

output "cloudfront_distribution_id" {
  description = "ID of the CloudFront distribution, null when wasm_clients is empty."
  value       = local.cloudfront_enabled ? aws_cloudfront_distribution.wasm[0].id : null
}

output "cloudfront_distribution_arn" {
  description = "ARN of the CloudFront distribution, null when wasm_clients is empty."
  value       = local.cloudfront_enabled ? aws_cloudfront_distribution.wasm[0].arn : null
}

output "cloudfront_domain_name" {
  description = "Domain name of the CloudFront distribution, null when wasm_clients is empty."
  value       = local.cloudfront_enabled ? aws_cloudfront_distribution.wasm[0].domain_name : null
}

output "wasm_urls" {
  description = "Map of subdomain => HTTPS URL of each WASM client."
  value       = { for sub, folder in var.wasm_clients : sub => "https://${sub}.${var.dns_name}" }
}

output "wasm_folders" {
  description = "Map of client host => S3 folder it is served from."
  value       = local.client_hosts
}

output "response_headers_policy_id" {
  description = "ID of the COEP/COOP response headers policy, null when wasm_clients is empty."
  value       = local.cloudfront_enabled ? aws_cloudfront_response_headers_policy.wasm[0].id : null
}
