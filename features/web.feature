Feature: Web frontend
  The WASM viewer needs cross-origin isolation for SharedArrayBuffer: CloudFront answers with
  "Cross-Origin-Embedder-Policy: require-corp" and "Cross-Origin-Opener-Policy: same-origin".

  @FDK-WEB-01
  Scenario: The distribution's default behavior attaches a response headers policy
    Given I have aws_cloudfront_distribution defined
    When it has response_headers_policy_id
    Then it must contain default_cache_behavior
    And it must contain response_headers_policy_id
    And its value must not be null

  @FDK-WEB-01
  Scenario: The response headers policy sets Cross-Origin-Embedder-Policy
    Given I have aws_cloudfront_response_headers_policy defined
    Then it must contain custom_headers_config
    And it must contain items
    And its header key must be Cross-Origin-Embedder-Policy

  @FDK-WEB-01
  Scenario: The response headers policy sends the value require-corp
    Given I have aws_cloudfront_response_headers_policy defined
    Then it must contain custom_headers_config
    And it must contain items
    And it must contain value
    And any of its values must match the "^(require-corp)$" regex

  @FDK-WEB-01
  Scenario: The response headers policy sets Cross-Origin-Opener-Policy
    Given I have aws_cloudfront_response_headers_policy defined
    Then it must contain custom_headers_config
    And it must contain items
    And its header key must be Cross-Origin-Opener-Policy

  @FDK-WEB-01
  Scenario: The response headers policy sends the value same-origin
    Given I have aws_cloudfront_response_headers_policy defined
    Then it must contain custom_headers_config
    And it must contain items
    And it must contain value
    And any of its values must match the "^(same-origin)$" regex
