"""Synthetic demo and benchmark data: fake people, plausible histories, never real data."""
