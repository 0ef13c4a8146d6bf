# No tunnel options: AWS accepts IKEv1 and DH groups 2 and 5.
resource "aws_vpn_connection" "billing_partner" {
  customer_gateway_id = "cgw-0123456789abcdef0"
  vpn_gateway_id      = "vgw-0123456789abcdef0"
  type                = "ipsec.1"
  static_routes_only  = true
}
