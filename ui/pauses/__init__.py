"""The supervisor's pause controls."""
