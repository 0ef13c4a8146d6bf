"""Rules for the policy area `encryption`, one module per source or provider."""
