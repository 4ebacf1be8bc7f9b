"""Interchange formats (W3C Web Annotation, brat, FollowTheMoney, CSV); domain only."""
