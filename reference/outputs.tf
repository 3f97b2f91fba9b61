output "server_url" {
  description = "HTTPS URL of the FDK server (`https://<host>.<dns_name>` or `https://<dns_name>`)."
  value       = "https://${local.server_fqdn}"
}

output "server_fqdn" {
  description = "Host name of the server (alias record to the ALB)."
  value       = local.server_fqdn
}

output "health_check_url" {
  description = "The server's health endpoint through the load balancer."
  value       = "https://${local.server_fqdn}/healthz"
}

output "wasm_urls" {
  description = "Map of WASM client subdomain => HTTPS URL (empty without wasm_clients)."
  value       = module.s3.wasm_urls
}

output "wasm_folders" {
  description = "Map of WASM client host => S3 folder CI uploads it to."
  value       = module.s3.wasm_folders
}

output "s3_wasm_bucket" {
  description = "Name of the WASM bucket (CI: `aws s3 sync dist s3://<bucket>/<folder>/ --delete`)."
  value       = module.s3.bucket_name
}

output "cloudfront_distribution_id" {
  description = "ID of the WASM CloudFront distribution (CI invalidates it); null without wasm_clients."
  value       = module.s3.cloudfront_distribution_id
}

output "cloudfront_domain_name" {
  description = "Domain name of the WASM distribution; null without wasm_clients."
  value       = module.s3.cloudfront_domain_name
}

output "name_servers" {
  description = "Name servers of the hosted zone: delegate dns_name to them from the parent zone."
  value       = module.dns.name_servers
}

output "zone_id" {
  description = "ID of the Route53 hosted zone."
  value       = module.dns.zone_id
}

output "certificate_arn" {
  description = "ARN of the validated regional ACM wildcard certificate (ALB)."
  value       = module.ssl.certificate_arn
}

output "cloudfront_certificate_arn" {
  description = "ARN of the validated us-east-1 certificate (CloudFront); null without wasm_clients."
  value       = local.cloudfront_enabled ? module.ssl_cloudfront[0].certificate_arn : null
}

output "alb_dns_name" {
  description = "DNS name of the application load balancer."
  value       = module.load_balancer.alb_dns_name
}

output "alb_arn" {
  description = "ARN of the application load balancer."
  value       = module.load_balancer.alb_arn
}

output "target_group_arn" {
  description = "ARN of the server target group (health check /healthz on 8080)."
  value       = module.load_balancer.target_group_arn
}

output "ci_user_name" {
  description = "Name of the CI IAM user."
  value       = module.iam_user.user_name
}

output "ci_access_key_id" {
  description = "Access key ID of the CI user (repository secret CI_AWS_ACCESS_KEY_ID)."
  value       = module.iam_user.access_key_id
  sensitive   = true
}

output "ci_secret_access_key" {
  description = "Secret access key of the CI user (repository secret CI_AWS_SECRET_ACCESS_KEY)."
  value       = module.iam_user.secret_access_key
  sensitive   = true
}

output "ecs_cluster_name" {
  description = "Name of the ECS cluster."
  value       = module.ecs_cluster.cluster_name
}

output "ecs_service_name" {
  description = "Name of the ECS service."
  value       = module.ecs_service.service_name
}

output "task_definition_family" {
  description = "Family of the server task definition."
  value       = module.ecs_service.task_definition_family
}

output "log_group_name" {
  description = "CloudWatch log group of the server and migration containers."
  value       = module.ecs_service.log_group_name
}

output "log_group_names" {
  description = "Every CloudWatch log group the root creates (all keep 14 days)."
  value = concat(
    [module.ecs_service.log_group_name, module.vpc.flow_log_group_name],
    module.rds_instance.log_group_names,
    var.monitoring_enabled ? [module.ecs_monitoring[0].log_group_name] : [],
  )
}

output "database_endpoint" {
  description = "Host name of the RDS instance (private; reach it through the bastion)."
  value       = module.rds_instance.address
}

output "database_port" {
  description = "Port of the RDS instance."
  value       = module.rds_instance.port
}

output "database_identifier" {
  description = "Identifier of the RDS instance."
  value       = module.rds_instance.instance_identifier
}

output "database_secret_arn" {
  description = "ARN of the Secrets Manager secret holding the generated database credentials."
  value       = module.rds_instance.master_user_secret_arn
}

output "kms_key_arn" {
  description = "ARN of the customer-managed KMS key encrypting the database."
  value       = module.rds_instance.kms_key_arn
}

output "vpc_id" {
  description = "ID of the VPC."
  value       = module.vpc.vpc_id
}

output "public_subnet_ids" {
  description = "IDs of the public subnets (ALB)."
  value       = module.vpc.public_subnet_ids
}

output "private_subnet_ids" {
  description = "IDs of the private subnets (tasks, RDS, bastion)."
  value       = module.vpc.private_subnet_ids
}

output "security_group_ids" {
  description = "Security groups of the chain ALB -> tasks -> RDS (and the bastion when enabled)."
  value = merge(
    {
      alb   = module.load_balancer.security_group_id
      tasks = module.ecs_service.security_group_id
      rds   = module.rds_instance.security_group_id
    },
    var.with_bastion ? { bastion = module.bastion[0].security_group_id } : {},
  )
}

output "storage_reader_role_arn" {
  description = "ARN of the read-only project-data role (STORAGE__READER_ROLE_ARN)."
  value       = module.ecs_service.storage_reader_role_arn
}

output "task_role_arn" {
  description = "ARN of the server's task role."
  value       = module.ecs_service.task_role_arn
}

output "bastion_instance_id" {
  description = "Instance ID of the bastion (`aws ssm start-session --target <id>`); null without it."
  value       = var.with_bastion ? module.bastion[0].instance_id : null
}

output "database_schemas" {
  description = "Schemas the migration init container ensures."
  value       = module.rds_databases.schemas
}

output "github_deploy_role_arn" {
  description = "ARN of the GitHub Actions deploy role (`role-to-assume`); null without github_repository."
  value       = module.iam_user.github_deploy_role_arn
}

output "github_oidc_provider_arn" {
  description = "ARN of the GitHub OIDC identity provider the deploy role trusts; null without github_repository."
  value       = module.iam_user.github_oidc_provider_arn
}
