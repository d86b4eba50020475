"""The demo programme: fictional regions and people with fixed logins."""
