resource "aws_vpn_connection" "clinic_site" {
  customer_gateway_id = "cgw-0a1b2c3d4e5f60718"
  transit_gateway_id  = "tgw-0f1e2d3c4b5a69788"
  type                = "ipsec.1"

  tunnel1_ike_versions                 = ["ikev2"]
  tunnel1_phase1_dh_group_numbers      = [20, 21]
  tunnel1_phase2_dh_group_numbers      = [20, 21]
  tunnel1_phase1_encryption_algorithms = ["AES256-GCM-16"]
  tunnel1_phase2_encryption_algorithms = ["AES256-GCM-16"]
  tunnel2_ike_versions                 = ["ikev2"]
  tunnel2_phase1_dh_group_numbers      = [20, 21]
  tunnel2_phase2_dh_group_numbers      = [20, 21]
  tunnel2_phase1_encryption_algorithms = ["AES256-GCM-16"]
  tunnel2_phase2_encryption_algorithms = ["AES256-GCM-16"]
}
