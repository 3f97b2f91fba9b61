# A wildcard certificate for the application domain, validated through DNS records in the
# hosted zone; ACM renews it automatically while the records stay.
resource "aws_acm_certificate" "this" {
  # checkov:skip=CKV2_AWS_71:the deployment page calls for a wildcard certificate covering the server and every WASM subdomain
  domain_name               = "*.${var.dns_name}"
  subject_alternative_names = [var.dns_name]
  validation_method         = "DNS"
  key_algorithm             = "RSA_2048"

  lifecycle {
    create_before_destroy = true
  }
}

# `*.x` and `x` share one validation record: allow_overwrite lets both keys write it.
resource "aws_route53_record" "validation" {
  for_each = {
    for o in aws_acm_certificate.this.domain_validation_options : o.domain_name => {
      name   = o.resource_record_name
      type   = o.resource_record_type
      record = o.resource_record_value
    }
  }

  zone_id         = var.zone_id
  name            = each.value.name
  type            = each.value.type
  ttl             = 60
  records         = [each.value.record]
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "this" {
  certificate_arn         = aws_acm_certificate.this.arn
  validation_record_fqdns = [for r in aws_route53_record.validation : r.fqdn]
}
