"""Rules for the policy area `identity`, one module per source or provider."""
