# Mutation: the port-80 listener redirects with a temporary 302 instead of 301.
resource "aws_lb_listener" "http" {
  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_302"
    }
  }
}
