"""Rules for the policy area `secrets`, one module per source or provider."""
