# Mutation: the server's log group keeps logs 30 days instead of the page's 14.
resource "aws_cloudwatch_log_group" "this" {
  retention_in_days = 30
}
