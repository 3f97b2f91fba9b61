output "service_name" {
  description = "Name of the ECS service."
  value       = aws_ecs_service.this.name
}

output "service_id" {
  description = "ID (ARN) of the ECS service."
  value       = aws_ecs_service.this.id
}

output "task_definition_arn" {
  description = "ARN of the current task definition revision."
  value       = aws_ecs_task_definition.this.arn
}

output "task_definition_family" {
  description = "Family of the task definition."
  value       = aws_ecs_task_definition.this.family
}

output "security_group_id" {
  description = "Security group of the tasks (allowed into RDS)."
  value       = aws_security_group.tasks.id
}

output "log_group_name" {
  description = "CloudWatch log group of the server and migration containers."
  value       = aws_cloudwatch_log_group.this.name
}

output "log_group_arn" {
  description = "ARN of the service's log group."
  value       = aws_cloudwatch_log_group.this.arn
}

output "task_role_arn" {
  description = "ARN of the task role (the server's own AWS identity)."
  value       = aws_iam_role.task.arn
}

output "execution_role_arn" {
  description = "ARN of the task execution role."
  value       = aws_iam_role.execution.arn
}

output "storage_reader_role_arn" {
  description = "ARN of the read-only project-data role (STORAGE__READER_ROLE_ARN)."
  value       = aws_iam_role.storage_reader.arn
}

output "registry_secret_arn" {
  description = "ARN of the registry credentials secret, null for a public image."
  value       = local.with_registry ? aws_secretsmanager_secret.registry[0].arn : null
}

output "container_names" {
  description = "Names of the task's containers, in definition order."
  value       = concat([for c in local.migration_containers : c.name], [local.server_container], [for c in var.sidecar_containers : c.name])
}
