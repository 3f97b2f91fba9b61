output "user_name" {
  description = "Name of the CI user."
  value       = aws_iam_user.ci.name
}

output "user_arn" {
  description = "ARN of the CI user."
  value       = aws_iam_user.ci.arn
}

output "access_key_id" {
  description = "Access key ID of the CI user (null without a static key)."
  value       = var.create_access_key ? aws_iam_access_key.ci[0].id : null
  sensitive   = true
}

output "secret_access_key" {
  description = "Secret access key of the CI user (null without a static key)."
  value       = var.create_access_key ? aws_iam_access_key.ci[0].secret : null
  sensitive   = true
}

output "s3_deploy_policy_json" {
  description = "JSON of the S3 deploy policy (also used by the GitHub OIDC role)."
  value       = data.aws_iam_policy_document.s3_deploy.json
}

output "github_deploy_role_arn" {
  description = "ARN of the GitHub Actions deploy role (role-to-assume), null without github_repository."
  value       = local.github_enabled ? aws_iam_role.github_deploy[0].arn : null
}

output "github_oidc_provider_arn" {
  description = "ARN of the GitHub OIDC identity provider the deploy role trusts, null without github_repository."
  value       = local.github_enabled ? local.github_provider_arn : null
}
