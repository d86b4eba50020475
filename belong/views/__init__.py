"""Blueprints, one module each; views stay thin and call services."""
