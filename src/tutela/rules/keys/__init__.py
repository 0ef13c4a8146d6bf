"""Rules for the policy area `keys`, one module per source or provider."""
