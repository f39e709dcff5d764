"""Bank statements in: CFONB 120, camt.053 and MT940 parsed into one shape, checked, and imported as movements."""
