resource "aws_route53_zone" "this" {
  # checkov:skip=CKV2_AWS_38:DNSSEC signing needs an asymmetric KMS key in us-east-1 and a DS record at the parent; left to the operator
  # checkov:skip=CKV2_AWS_39:query logging needs a us-east-1 log group with a resource policy; left to the operator
  name          = var.dns_name
  comment       = "FDK application domain"
  force_destroy = var.force_destroy
}
