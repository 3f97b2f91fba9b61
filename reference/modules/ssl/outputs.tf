output "certificate_arn" {
  description = "ARN of the validated certificate (known once validation completed)."
  value       = aws_acm_certificate_validation.this.certificate_arn
}

output "domain_name" {
  description = "Primary (wildcard) domain of the certificate."
  value       = aws_acm_certificate.this.domain_name
}

output "validation_record_fqdns" {
  description = "FQDNs of the DNS validation records."
  value       = [for r in aws_route53_record.validation : r.fqdn]
}
