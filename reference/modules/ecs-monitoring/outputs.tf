output "container_definition" {
  description = "ECS container definition (object) of the Alloy sidecar, to append to the task's containers."
  value       = local.container_definition
}

output "otlp_endpoint" {
  description = "Endpoint the server sends OTLP to (OBSERVABILITY__OTEL_EXPORTER_OTLP_ENDPOINT)."
  value       = "http://localhost:4317"
}

output "log_group_name" {
  description = "CloudWatch log group of the sidecar."
  value       = aws_cloudwatch_log_group.alloy.name
}

output "log_group_arn" {
  description = "ARN of the sidecar's log group (the task execution role writes to it)."
  value       = aws_cloudwatch_log_group.alloy.arn
}
