output "alb_arn" {
  description = "ARN of the load balancer."
  value       = aws_lb.this.arn
}

output "alb_dns_name" {
  description = "DNS name of the load balancer."
  value       = aws_lb.this.dns_name
}

output "alb_zone_id" {
  description = "Route53 zone ID of the load balancer (for alias records)."
  value       = aws_lb.this.zone_id
}

output "security_group_id" {
  description = "Security group of the load balancer (the only source allowed into the tasks)."
  value       = aws_security_group.alb.id
}

# Consumers (the ECS service) must not attach to the target group before a listener uses it.
output "target_group_arn" {
  description = "ARN of the server target group, available once the HTTPS listener forwards to it."
  value       = aws_lb_target_group.server.arn
  depends_on  = [aws_lb_listener.https]
}

output "http_listener_arn" {
  description = "ARN of the port-80 redirect listener."
  value       = aws_lb_listener.http.arn
}

output "https_listener_arn" {
  description = "ARN of the port-443 listener."
  value       = aws_lb_listener.https.arn
}

output "server_fqdn" {
  description = "Name of the server's alias record."
  value       = aws_route53_record.server.fqdn
}
