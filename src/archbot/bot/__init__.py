"""Frontends: the command line and the Slack app, both thin layers over the advisor core."""
