output "zone_id" {
  description = "ID of the hosted zone."
  value       = aws_route53_zone.this.zone_id
}

output "name_servers" {
  description = "Name servers to delegate to from the parent zone (NS records)."
  value       = aws_route53_zone.this.name_servers
}

output "dns_name" {
  description = "Domain of the hosted zone."
  value       = aws_route53_zone.this.name
}
