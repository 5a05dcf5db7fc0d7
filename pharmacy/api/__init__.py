"""The JSON API under /api/v1: flask-smorest blueprints, one module per resource."""
