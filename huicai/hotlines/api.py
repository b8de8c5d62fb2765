def register(router):
    """Register this app's API viewsets on the /api/v1/ router.

    None: the hotlines push to their own signed endpoints (/hotlines/inbound/<hotline>/orders/ and
    …/ratings/), which need the raw body to check the signature, and staff read the orders on the page.
    """
