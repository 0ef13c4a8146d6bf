"""Rules for the policy area `governance`, one module per source or provider."""
