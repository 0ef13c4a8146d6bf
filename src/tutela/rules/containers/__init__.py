"""Rules for the policy area `containers`, one module per source or provider."""
