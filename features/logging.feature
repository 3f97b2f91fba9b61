Feature: Logging
  The FDK deployment ships its logs to CloudWatch and keeps them for 14 days
  ("Logs ship to CloudWatch with 14-day retention").

  @FDK-LOG-01
  Scenario: Every CloudWatch log group keeps logs exactly 14 days
    Given I have aws_cloudwatch_log_group defined
    When it has retention_in_days
    Then it must contain retention_in_days
    And its value must be 14
