Feature: IAM
  Least privilege: no policy in the root allows every action, and roles trust AWS services
  (or a federated identity provider), never a whole account or anyone.

  Policy documents that name resources created in the same plan are unknown until apply;
  these scenarios judge every policy whose JSON the plan already shows.

  @FDK-IAM-02
  Scenario: No inline role policy allows every action
    Given I have aws_iam_role_policy defined
    When it has Statement
    Then it must contain Action
    And its value must not match the "^\*$" regex

  @FDK-IAM-02
  Scenario: No inline user policy allows every action
    Given I have aws_iam_user_policy defined
    When it has Statement
    Then it must contain Action
    And its value must not match the "^\*$" regex

  @FDK-IAM-02
  Scenario: Role trust policies name no AWS account principal
    Given I have aws_iam_role defined
    When it has Principal
    Then it must not contain AWS
