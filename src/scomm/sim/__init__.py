"""The synthetic world: fingerprints, population, rap sheets, encounters and the booking stream.

Everything here stands in for real people, so scomm runs end to end with no personal data.
"""
