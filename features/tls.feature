Feature: TLS
  HTTP is redirected to HTTPS; TLS terminates at the ALB with the DNS-validated ACM wildcard
  certificate and a TLS 1.2+ policy; CloudFront viewers are sent to HTTPS with TLS 1.2 or later.

  @FDK-TLS-01
  Scenario: Every HTTP listener's default action is a redirect
    Given I have aws_lb_listener defined
    When its protocol is HTTP
    Then it must contain default_action
    And it must contain type
    And its value must be redirect

  @FDK-TLS-01
  Scenario: The HTTP redirect goes to HTTPS
    Given I have aws_lb_listener defined
    When its protocol is HTTP
    Then it must contain default_action
    And it must contain redirect
    And it must contain protocol
    And its value must be HTTPS

  @FDK-TLS-01
  Scenario: The HTTP redirect goes to port 443
    Given I have aws_lb_listener defined
    When its protocol is HTTP
    Then it must contain default_action
    And it must contain redirect
    And it must contain port
    And its value must be 443

  @FDK-TLS-01
  Scenario: The HTTP redirect is permanent (301)
    Given I have aws_lb_listener defined
    When its protocol is HTTP
    Then it must contain default_action
    And it must contain redirect
    And it must contain status_code
    And its value must be HTTP_301

  @FDK-TLS-02
  Scenario: HTTPS listeners use a TLS 1.2+ security policy
    Given I have aws_lb_listener defined
    When its protocol is HTTPS
    Then it must contain ssl_policy
    And its value must match the "^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)" regex

  @FDK-TLS-02
  Scenario: HTTPS listeners serve a certificate
    Given I have aws_lb_listener defined
    When its protocol is HTTPS
    Then it must contain certificate_arn
    And its value must not be null

  @FDK-TLS-03
  Scenario: ACM certificates are validated through DNS
    Given I have aws_acm_certificate defined
    Then it must contain validation_method
    And its value must be DNS

  @FDK-TLS-03
  Scenario: The ACM certificate is a wildcard
    Given I have aws_acm_certificate defined
    Then it must contain domain_name
    And its value must match the "^\*\." regex

  @FDK-TLS-03 @noskip
  Scenario: The certificate's DNS validation is awaited before use
    Given I have aws_acm_certificate_validation defined
    Then it must contain validation_record_fqdns
    And its value must not be null

  @FDK-TLS-04
  Scenario: CloudFront sends viewers to HTTPS
    Given I have aws_cloudfront_distribution defined
    Then it must contain default_cache_behavior
    And it must contain viewer_protocol_policy
    And its value must match the "^(redirect-to-https|https-only)$" regex

  @FDK-TLS-04
  Scenario: CloudFront accepts TLS 1.2 (2021 ciphers) or later only
    Given I have aws_cloudfront_distribution defined
    Then it must contain viewer_certificate
    And it must contain minimum_protocol_version
    And its value must match the "^TLSv1\.(2_(2021|2025)|3_2025)$" regex

  @FDK-TLS-04
  Scenario: CloudFront serves its aliases with an ACM certificate
    Given I have aws_cloudfront_distribution defined
    Then it must contain viewer_certificate
    And it must contain acm_certificate_arn
    And its value must not be null
