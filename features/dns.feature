Feature: DNS
  A Route53 hosted zone holds the application domain; the server's name (and each WASM
  client's) is an alias record to the load balancer (or to CloudFront), not a fixed address.

  @FDK-DNS-01
  Scenario: The Route53 hosted zone is public
    Given I have aws_route53_zone defined
    Then it must not contain vpc
