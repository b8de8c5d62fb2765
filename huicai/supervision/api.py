def register(router):
    """Register this app's API viewsets on the /api/v1/ router."""
