Feature: IAM
  Least privilege: no policy in the root allows every action, and roles trust AWS services,
  a federated identity provider or another role, never a whole account or anyone.

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

  @FDK-IAM-02 @pass_if_none_selected
  Scenario: Role trust policies trust no whole AWS account and not anyone
    Given I have aws_iam_role defined
    When it has AWS
    Then it must contain AWS
    And its value must not match the "(^\*$|.*:root$|^[0-9]{12}$)" regex
